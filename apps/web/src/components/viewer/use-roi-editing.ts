"use client";

import { useCallback, useRef, useState, type RefObject } from "react";
import {
  clampRoi,
  dragHandle,
  moveRoi,
  regionOnImage,
  roiContains,
  roiFromDrag,
  roiHandles,
  type Point,
  type Roi,
} from "@/viewer/roi-geometry";
import {
  imageToScreen,
  panBy,
  screenToImage,
  type Affine,
  type Placement,
  type ViewportSize,
  type ViewState,
} from "@/viewer/view-transform";
import { dragWindow, type WindowAdjust } from "@/viewer/window-lut";
import { isShapeTool, type Measurement, type ViewerImage, type ViewerRoi, type ViewerTool } from "./viewer-types";

export type Drag =
  | { kind: "pan"; lastX: number; lastY: number }
  | { kind: "window"; startX: number; startY: number; start: WindowAdjust }
  | { kind: "draw"; start: Point }
  | { kind: "move"; id: string; start: Point; roi: Roi }
  | { kind: "handle"; id: string; index: number; roi: Roi }
  | { kind: "measure"; tool: "length" | "area"; start: Point }
  | { kind: "magnify" };

const HANDLE_HIT_PX = 7;

type Callbacks = {
  onViewChange: (next: ViewState) => void;
  onAdjustChange: (next: WindowAdjust) => void;
  onSelectRoi: (id: string | null) => void;
  onCreateRoi?: (imageId: string, roi: Roi) => void;
  onUpdateRoi?: (id: string, roi: Roi) => void;
  onFocus: () => void;
  onCreateMeasurement?: (m: Measurement) => void;
  /** The magnifier follows the pointer while it is pressed (null: released). */
  onMagnify?: (at: Point | null) => void;
};

type Input = Callbacks & {
  containerRef: RefObject<HTMLDivElement | null>;
  image: ViewerImage;
  affine: Affine | null;
  view: ViewState;
  size: ViewportSize;
  placement: Placement;
  adjust: WindowAdjust;
  tool: ViewerTool;
  rois: ViewerRoi[];
  selectedRoiId: string | null;
};

/** Where a press on the image starts: which drag, or which region is made or selected at once. */
function pressAction(
  input: Input,
  editable: ViewerRoi[],
  polygon: Point[],
  screen: Point,
  button: number,
  isShift: boolean,
): Drag | { kind: "select"; id: string | null } | { kind: "point"; at: Point } | { kind: "vertex"; at: Point } | null {
  const { affine, tool } = input;
  const [sx, sy] = screen;
  const [ix, iy] = screenToImage(affine!, sx, sy);
  if (button === 1 || isShift || tool === "pan") return { kind: "pan", lastX: sx, lastY: sy };
  if (button !== 0) return null;
  if (tool === "window") return { kind: "window", startX: sx, startY: sy, start: input.adjust };
  if (tool === "magnify") return { kind: "magnify" };
  if (tool === "length" || tool === "area") return { kind: "measure", tool, start: [ix, iy] };
  const selected = editable.find((r) => r.id === input.selectedRoiId);
  if (selected) {
    const index = roiHandles(selected.roi).findIndex((h) => {
      const [hx, hy] = imageToScreen(affine!, h[0], h[1]);
      return Math.hypot(hx - sx, hy - sy) <= HANDLE_HIT_PX;
    });
    if (index >= 0) return { kind: "handle", id: selected.id, index, roi: selected.roi };
  }
  const hit = [...editable].reverse().find((r) => roiContains(r.roi, ix, iy, HANDLE_HIT_PX / affine!.scale));
  if (hit && polygon.length === 0) return { kind: "move", id: hit.id, start: [ix, iy], roi: hit.roi };
  if (tool === "edit") return { kind: "select", id: null };
  if (ix < 0 || iy < 0 || ix > input.image.widthPx || iy > input.image.heightPx) return null;
  if (tool === "POINT") return { kind: "point", at: [ix, iy] };
  if (tool === "BOX" || tool === "ELLIPSE") return { kind: "draw", start: [ix, iy] };
  if (tool === "POLYGON") return { kind: "vertex", at: [ix, iy] };
  return null;
}

/**
 * Pointer and key handling of one viewport: pan, window/level, and drawing, moving and reshaping
 * regions (the draft shows while the pointer is down and is committed on release).
 * Returns the handlers and the regions to draw, drafts included.
 */
export function useRoiEditing(input: Input) {
  const { image, affine, tool } = input;
  const [draft, setDraft] = useState<{ id: string; roi: Roi } | null>(null);
  const [measureDraft, setMeasureDraft] = useState<Measurement | null>(null);
  const [polygon, setPolygon] = useState<Point[]>([]);
  const drag = useRef<Drag | null>(null);
  const editable = input.rois.filter((r) => r.isEditable && r.imageId === image.id);
  const { onCreateRoi } = input;

  const finishPolygon = useCallback(
    (points: Point[]) => {
      setPolygon([]);
      if (points.length >= 3)
        onCreateRoi?.(image.id, clampRoi({ shape: "POLYGON", geometry: { points } }, image.widthPx, image.heightPx));
    },
    [onCreateRoi, image],
  );

  const local = (event: React.PointerEvent | React.MouseEvent): Point => {
    const rect = input.containerRef.current!.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  function onPointerDown(event: React.PointerEvent) {
    input.onFocus();
    if (!affine) return;
    input.containerRef.current!.focus({ preventScroll: true });
    try {
      (event.target as Element).setPointerCapture?.(event.pointerId);
    } catch {
      // Not a live pointer (synthetic events): the drag still works without capture.
    }
    const screen = local(event);
    const action = pressAction(input, editable, polygon, screen, event.button, event.shiftKey);
    if (!action) return;
    if (action.kind === "select") return input.onSelectRoi(action.id);
    if (action.kind === "point")
      return onCreateRoi?.(
        image.id,
        clampRoi({ shape: "POINT", geometry: { x: action.at[0], y: action.at[1] } }, image.widthPx, image.heightPx),
      );
    if (action.kind === "vertex") {
      const first = polygon[0];
      if (first && polygon.length >= 3) {
        const [fx, fy] = imageToScreen(affine, first[0], first[1]);
        if (Math.hypot(fx - screen[0], fy - screen[1]) <= HANDLE_HIT_PX) return finishPolygon(polygon);
      }
      return setPolygon([...polygon, action.at]);
    }
    if (action.kind === "move") input.onSelectRoi(action.id);
    if (action.kind === "magnify") input.onMagnify?.(screen);
    drag.current = action;
  }

  function onPointerMove(event: React.PointerEvent) {
    const d = drag.current;
    if (!d || !affine) return;
    const [sx, sy] = local(event);
    const [ix, iy] = screenToImage(affine, sx, sy);
    if (d.kind === "pan") {
      input.onViewChange(panBy(input.view, sx - d.lastX, sy - d.lastY, input.size, input.placement));
      d.lastX = sx;
      d.lastY = sy;
    } else if (d.kind === "window") input.onAdjustChange(dragWindow(d.start, sx - d.startX, sy - d.startY));
    else if (d.kind === "draw" && isShapeTool(tool) && (tool === "BOX" || tool === "ELLIPSE"))
      setDraft({ id: "draft", roi: roiFromDrag(tool, d.start, [ix, iy]) });
    else if (d.kind === "move") setDraft({ id: d.id, roi: moveRoi(d.roi, ix - d.start[0], iy - d.start[1]) });
    else if (d.kind === "handle") setDraft({ id: d.id, roi: dragHandle(d.roi, d.index, [ix, iy]) });
    else if (d.kind === "magnify") input.onMagnify?.([sx, sy]);
    else if (d.kind === "measure") setMeasureDraft(measurementFromDrag(image.id, d.tool, d.start, [ix, iy]));
  }

  function onPointerUp() {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    const drawn = draft ? regionOnImage(draft.roi, image.widthPx, image.heightPx) : null;
    if (d.kind === "draw" && drawn) onCreateRoi?.(image.id, drawn);
    if ((d.kind === "move" || d.kind === "handle") && drawn && JSON.stringify(drawn) !== JSON.stringify(d.roi))
      input.onUpdateRoi?.(d.id, drawn);
    if (d.kind === "magnify") input.onMagnify?.(null);
    if (d.kind === "measure" && measureDraft) input.onCreateMeasurement?.({ ...measureDraft, id: crypto.randomUUID() });
    setDraft(null);
    setMeasureDraft(null);
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (polygon.length && event.key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      finishPolygon(polygon);
    } else if (polygon.length && event.key === "Escape") {
      event.stopPropagation();
      setPolygon([]);
    }
  }

  const shown = regionsToDraw(input.rois, image.id, draft, polygon);

  const handlers = {
    onPointerDown,
    onPointerMove,
    onPointerUp,
    onPointerCancel: onPointerUp,
    onDoubleClick: () => polygon.length && finishPolygon(polygon),
    onKeyDown,
  };
  return { handlers, shown, measureDraft, isDrawing: polygon.length > 0 };
}

function measurementFromDrag(imageId: string, tool: "length" | "area", start: Point, end: Point): Measurement {
  if (tool === "length") return { id: "draft", imageId, kind: "length", from: start, to: end };
  return {
    id: "draft",
    imageId,
    kind: "area",
    cx: (start[0] + end[0]) / 2,
    cy: (start[1] + end[1]) / 2,
    rx: Math.abs(end[0] - start[0]) / 2,
    ry: Math.abs(end[1] - start[1]) / 2,
  };
}

/** The image's regions as drawn now: the one being moved or reshaped at its draft, plus new drafts. */
function regionsToDraw(
  rois: ViewerRoi[],
  imageId: string,
  draft: { id: string; roi: Roi } | null,
  polygon: Point[],
): ViewerRoi[] {
  const shown = rois
    .filter((r) => r.imageId === imageId)
    .map((r) => (draft && draft.id === r.id ? { ...r, roi: draft.roi } : r));
  if (draft?.id === "draft") shown.push({ id: "draft", imageId, roi: draft.roi, tone: "draft", isEditable: false });
  if (polygon.length)
    shown.push({
      id: "polygon-draft",
      imageId,
      roi: { shape: "POLYGON", geometry: { points: polygon } },
      tone: "draft",
      isEditable: false,
    });
  return shown;
}
