"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { renderGrey } from "@/viewer/render-grey";
import {
  clampRoi,
  dragHandle,
  isDegenerate,
  moveRoi,
  roiContains,
  roiFromDrag,
  roiHandles,
  type Point,
  type Roi,
} from "@/viewer/roi-geometry";
import {
  affineOf,
  imageToScreen,
  panBy,
  screenToImage,
  zoomAt,
  type Affine,
  type Placement,
  type ViewState,
} from "@/viewer/view-transform";
import { adjustedWindow, buildWindowLut, dragWindow, type WindowAdjust, type WindowLut } from "@/viewer/window-lut";
import { RoiLayer } from "./roi-layer";
import { useFullDepthImage } from "./use-full-depth-image";
import { useHeatmap } from "./use-heatmap";
import { isShapeTool, viewName, type ViewerImage, type ViewerRoi, type ViewerTool } from "./viewer-types";

type Props = {
  image: ViewerImage;
  view: ViewState;
  onViewChange: (next: ViewState) => void;
  /** Linked hangings mirror the shared view in the left-hugging (left breast) views. */
  mirror: boolean;
  hug?: Placement["hug"];
  adjust: WindowAdjust;
  onAdjustChange: (next: WindowAdjust) => void;
  isInverted: boolean;
  tool: ViewerTool;
  rois: ViewerRoi[];
  selectedRoiId: string | null;
  onSelectRoi: (id: string | null) => void;
  onCreateRoi?: (imageId: string, roi: Roi) => void;
  onUpdateRoi?: (id: string, roi: Roi) => void;
  showHeatmap: boolean;
  heatmapOpacity: number;
  isFocused: boolean;
  onFocus: () => void;
  label?: string;
};

type Drag =
  | { kind: "pan"; lastX: number; lastY: number }
  | { kind: "window"; startX: number; startY: number; start: WindowAdjust }
  | { kind: "draw"; start: Point }
  | { kind: "move"; id: string; start: Point; roi: Roi }
  | { kind: "handle"; id: string; index: number; roi: Roi };

const HANDLE_HIT_PX = 7;

export function MammoViewport(props: Props) {
  const { image, view, adjust, isInverted, tool } = props;
  const state = useFullDepthImage(image.pixelsUrl);
  const heatmap = useHeatmap(props.showHeatmap && image.heatmapUrl ? image.heatmapUrl : null);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const heatRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ widthPx: 0, heightPx: 0 });
  const [draft, setDraft] = useState<{ id: string; roi: Roi } | null>(null);
  const [polygon, setPolygon] = useState<Point[]>([]);
  const drag = useRef<Drag | null>(null);
  const lutRef = useRef<WindowLut | undefined>(undefined);
  const frameRef = useRef<{ imageData: ImageData; pixels: Uint32Array } | null>(null);

  useLayoutEffect(() => {
    const element = containerRef.current!;
    const observer = new ResizeObserver(() =>
      setSize({ widthPx: element.clientWidth, heightPx: element.clientHeight }),
    );
    observer.observe(element);
    setSize({ widthPx: element.clientWidth, heightPx: element.clientHeight });
    return () => observer.disconnect();
  }, []);

  const loaded = state.status === "ready" ? state.loaded : null;
  const hug = props.hug ?? (image.laterality === "R" ? "right" : "left");
  const wantedChestWall = hug === "center" ? (image.laterality === "R" ? "right" : "left") : hug;
  const placement = useMemo<Placement>(
    () => ({ hug, flip: loaded ? loaded.chestWall !== wantedChestWall : false, mirror: props.mirror }),
    [hug, loaded, wantedChestWall, props.mirror],
  );
  const affine: Affine | null = loaded && size.widthPx > 0 ? affineOf(view, size, image, placement) : null;
  const window = loaded ? adjustedWindow(loaded.image.window, adjust) : null;
  const inverted = loaded ? loaded.image.isInverted !== isInverted : isInverted;

  // Grey layer: one frame per change, drawn in the next animation frame.
  useEffect(() => {
    if (!loaded || !affine || !window) return;
    const canvas = canvasRef.current!;
    const frame = requestAnimationFrame(() => {
      performance.mark("viewer-frame-start");
      const dpr = globalThis.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(size.widthPx * dpr));
      const height = Math.max(1, Math.round(size.heightPx * dpr));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const ctx = canvas.getContext("2d")!;
      if (
        !frameRef.current ||
        frameRef.current.imageData.width !== width ||
        frameRef.current.imageData.height !== height
      ) {
        const imageData = ctx.createImageData(width, height);
        frameRef.current = { imageData, pixels: new Uint32Array(imageData.data.buffer) };
      }
      lutRef.current = buildWindowLut(loaded.image, window, inverted, lutRef.current);
      renderGrey(loaded.levels, lutRef.current, affine, dpr, width, height, frameRef.current.pixels);
      ctx.putImageData(frameRef.current.imageData, 0, 0);
      performance.measure("viewer-frame", "viewer-frame-start");
    });
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- affine and window are derived from these
  }, [loaded, size, view, placement, adjust, inverted]);

  // Heatmap layer: the coloured Grad-CAM stretched over the image with the same transform.
  useEffect(() => {
    const canvas = heatRef.current;
    if (!canvas || !affine) return;
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(size.widthPx * dpr));
    canvas.height = Math.max(1, Math.round(size.heightPx * dpr));
    const ctx = canvas.getContext("2d")!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!heatmap.canvas || !props.showHeatmap) return;
    ctx.setTransform(affine.scaleX * dpr, 0, 0, affine.scale * dpr, affine.translateX * dpr, affine.translateY * dpr);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatmap.canvas, 0, 0, image.widthPx, image.heightPx);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- affine is derived from these
  }, [heatmap.canvas, props.showHeatmap, size, view, placement, image.widthPx, image.heightPx]);

  const { onViewChange } = props;
  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  const wheelState = useRef({ view, size, placement });
  wheelState.current = { view, size, placement };
  useEffect(() => {
    const element = containerRef.current!;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const s = wheelState.current;
      onViewChange(
        zoomAt(
          s.view,
          Math.exp(-event.deltaY * 0.0015),
          event.clientX - rect.left,
          event.clientY - rect.top,
          s.size,
          image,
          s.placement,
        ),
      );
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [onViewChange, image]);

  const local = (event: React.PointerEvent | React.MouseEvent): Point => {
    const rect = containerRef.current!.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  const editable = props.rois.filter((r) => r.isEditable && r.imageId === image.id);
  const finishPolygon = useCallback(
    (points: Point[]) => {
      setPolygon([]);
      if (points.length >= 3)
        props.onCreateRoi?.(
          image.id,
          clampRoi({ shape: "POLYGON", geometry: { points } }, image.widthPx, image.heightPx),
        );
    },
    [props, image],
  );

  function onPointerDown(event: React.PointerEvent) {
    props.onFocus();
    if (!affine) return;
    containerRef.current!.focus({ preventScroll: true });
    const [sx, sy] = local(event);
    const [ix, iy] = screenToImage(affine, sx, sy);
    try {
      (event.target as Element).setPointerCapture?.(event.pointerId);
    } catch {
      // Not a live pointer (synthetic events): the drag still works without capture.
    }
    if (event.button === 1 || event.shiftKey || tool === "pan") {
      drag.current = { kind: "pan", lastX: sx, lastY: sy };
      return;
    }
    if (event.button !== 0) return;
    if (tool === "window") {
      drag.current = { kind: "window", startX: sx, startY: sy, start: adjust };
      return;
    }
    const selected = editable.find((r) => r.id === props.selectedRoiId);
    if (selected) {
      const index = roiHandles(selected.roi).findIndex((h) => {
        const [hx, hy] = imageToScreen(affine, h[0], h[1]);
        return Math.hypot(hx - sx, hy - sy) <= HANDLE_HIT_PX;
      });
      if (index >= 0) {
        drag.current = { kind: "handle", id: selected.id, index, roi: selected.roi };
        return;
      }
    }
    const hit = [...editable].reverse().find((r) => roiContains(r.roi, ix, iy, HANDLE_HIT_PX / affine.scale));
    if (hit && polygon.length === 0) {
      props.onSelectRoi(hit.id);
      drag.current = { kind: "move", id: hit.id, start: [ix, iy], roi: hit.roi };
      return;
    }
    if (tool === "edit") {
      props.onSelectRoi(null);
      return;
    }
    if (ix < 0 || iy < 0 || ix > image.widthPx || iy > image.heightPx) return;
    if (tool === "POINT")
      props.onCreateRoi?.(
        image.id,
        clampRoi({ shape: "POINT", geometry: { x: ix, y: iy } }, image.widthPx, image.heightPx),
      );
    else if (tool === "BOX" || tool === "ELLIPSE") drag.current = { kind: "draw", start: [ix, iy] };
    else if (tool === "POLYGON") {
      const first = polygon[0];
      if (first && polygon.length >= 3) {
        const [fx, fy] = imageToScreen(affine, first[0], first[1]);
        if (Math.hypot(fx - sx, fy - sy) <= HANDLE_HIT_PX) return finishPolygon(polygon);
      }
      setPolygon([...polygon, [ix, iy]]);
    }
  }

  function onPointerMove(event: React.PointerEvent) {
    const d = drag.current;
    if (!d || !affine) return;
    const [sx, sy] = local(event);
    const [ix, iy] = screenToImage(affine, sx, sy);
    if (d.kind === "pan") {
      props.onViewChange(panBy(view, sx - d.lastX, sy - d.lastY, size, placement));
      d.lastX = sx;
      d.lastY = sy;
    } else if (d.kind === "window") props.onAdjustChange(dragWindow(d.start, sx - d.startX, sy - d.startY));
    else if (d.kind === "draw" && isShapeTool(tool) && (tool === "BOX" || tool === "ELLIPSE"))
      setDraft({ id: "draft", roi: roiFromDrag(tool, d.start, [ix, iy]) });
    else if (d.kind === "move") setDraft({ id: d.id, roi: moveRoi(d.roi, ix - d.start[0], iy - d.start[1]) });
    else if (d.kind === "handle") setDraft({ id: d.id, roi: dragHandle(d.roi, d.index, [ix, iy]) });
  }

  function onPointerUp() {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    if (d.kind === "draw" && draft && !isDegenerate(draft.roi))
      props.onCreateRoi?.(image.id, clampRoi(draft.roi, image.widthPx, image.heightPx));
    if ((d.kind === "move" || d.kind === "handle") && draft) {
      const next = clampRoi(draft.roi, image.widthPx, image.heightPx);
      if (!isDegenerate(next) && JSON.stringify(next) !== JSON.stringify(d.roi)) props.onUpdateRoi?.(d.id, next);
    }
    setDraft(null);
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

  const shown = props.rois
    .filter((r) => r.imageId === image.id)
    .map((r) => (draft && draft.id === r.id ? { ...r, roi: draft.roi } : r));
  if (draft?.id === "draft")
    shown.push({ id: "draft", imageId: image.id, roi: draft.roi, tone: "draft", isEditable: false });
  if (polygon.length)
    shown.push({
      id: "polygon-draft",
      imageId: image.id,
      roi: { shape: "POLYGON", geometry: { points: polygon } },
      tone: "draft",
      isEditable: false,
    });

  const name = props.label ?? viewName(image);
  const cursor = tool === "pan" ? "grab" : tool === "window" ? "ns-resize" : tool === "edit" ? "default" : "crosshair";
  return (
    <div
      ref={containerRef}
      className={`viewport${props.isFocused ? " focused" : ""}`}
      role="group"
      aria-label={`${name} viewport`}
      tabIndex={0}
      data-testid={`viewport-${name}`}
      data-state={state.status}
      data-window={window ? `${Math.round(window.center)}/${Math.round(window.width)}` : ""}
      data-zoom={view.zoom.toFixed(3)}
      data-flipped={placement.flip ? "true" : "false"}
      style={{ cursor }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => polygon.length && finishPolygon(polygon)}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      <canvas
        ref={canvasRef}
        className="viewport-layer"
        role="img"
        aria-label={`${name} mammogram${window ? `, window ${Math.round(window.center)}/${Math.round(window.width)}` : ""}`}
      />
      {props.showHeatmap && image.heatmapUrl ? (
        <canvas
          ref={heatRef}
          className="viewport-layer"
          style={{ opacity: props.heatmapOpacity }}
          aria-hidden="true"
          data-testid="heatmap-layer"
        />
      ) : null}
      {affine ? (
        <RoiLayer
          rois={shown}
          affine={affine}
          selectedRoiId={props.selectedRoiId}
          width={size.widthPx}
          height={size.heightPx}
        />
      ) : null}
      <span className="viewport-label">{name}</span>
      {window ? (
        <span className="viewport-info" aria-hidden="true">
          W {Math.round(window.width)} L {Math.round(window.center)} ·{" "}
          {(affine!.scale * (globalThis.devicePixelRatio || 1)).toFixed(2)}×
        </span>
      ) : null}
      {state.status === "loading" ? <span className="viewport-status">Loading {name}…</span> : null}
      {state.status === "error" ? (
        <span className="viewport-status error" role="alert">
          {name}: {state.message}
        </span>
      ) : null}
      {heatmap.error ? <span className="viewport-status error">{heatmap.error}</span> : null}
    </div>
  );
}
