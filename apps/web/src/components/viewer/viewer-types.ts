import type { Roi, RoiShape } from "@/viewer/roi-geometry";

/** Mouse tools: window/level, pan, select/edit regions, magnifier, calibrated measurements, region shapes. */
export type ViewerTool = "window" | "pan" | "edit" | "magnify" | "length" | "area" | RoiShape;
export const SHAPE_TOOLS: RoiShape[] = ["POINT", "BOX", "ELLIPSE", "POLYGON"];
export const isShapeTool = (tool: ViewerTool): tool is RoiShape => (SHAPE_TOOLS as string[]).includes(tool);

/** A region drawn over an image; tone picks its colour (the reader's mark vs a lesion outline). */
export type ViewerRoi = {
  id: string;
  imageId: string;
  roi: Roi;
  label?: string;
  tone: "annotation" | "lesion" | "reader" | "draft";
  isEditable: boolean;
};

export type ViewerImage = {
  id: string;
  laterality: "R" | "L";
  view: string;
  widthPx: number;
  heightPx: number;
  /** Browser URL of the full-depth pixel file. */
  pixelsUrl: string;
  /** Browser URL of the Grad-CAM heatmap PNG, when there is one. */
  heatmapUrl?: string | null;
  /** How that heatmap was made (heatmapDescription): method, layer, score and class. */
  heatmapDescription?: string | null;
  /** Millimetres per pixel at the breast (rows, columns); null when the file did not say. */
  pixelSpacingMm?: { row: number; col: number } | null;
};

/** A measurement drawn over an image (kept while the case is open, never saved). */
export type Measurement =
  | { id: string; imageId: string; kind: "length"; from: [number, number]; to: [number, number] }
  | { id: string; imageId: string; kind: "area"; cx: number; cy: number; rx: number; ry: number };

export const viewName = (image: Pick<ViewerImage, "laterality" | "view">) => `${image.laterality}${image.view}`;
