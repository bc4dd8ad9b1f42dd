import type { Roi, RoiShape } from "@/viewer/roi-geometry";

export type ViewerTool = "window" | "pan" | "edit" | RoiShape;
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
};

export const viewName = (image: Pick<ViewerImage, "laterality" | "view">) => `${image.laterality}${image.view}`;
