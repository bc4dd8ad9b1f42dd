"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { Point, Roi } from "@/viewer/roi-geometry";
import { affineOf, type Affine, type Placement, type ViewState } from "@/viewer/view-transform";
import { adjustedWindow, type WindowAdjust } from "@/viewer/window-lut";
import { RoiLayer } from "./roi-layer";
import { useProgressiveImage } from "./use-full-depth-image";
import { useGreyLayer } from "./use-grey-layer";
import { useHeatmap } from "./use-heatmap";
import { useHeatmapLayer } from "./use-heatmap-layer";
import { useRoiEditing } from "./use-roi-editing";
import { useViewportSize } from "./use-viewport-size";
import { useWheelZoom } from "./use-wheel-zoom";
import { ViewportOverlays } from "./viewport-overlays";
import { Magnifier } from "./magnifier";
import { MeasureLayer } from "./measure-layer";
import { viewName, type Measurement, type ViewerImage, type ViewerRoi, type ViewerTool } from "./viewer-types";

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
  measurements?: Measurement[];
  onCreateMeasurement?: (m: Measurement) => void;
  /** Called once the image is on screen (its first frame drawn). */
  onDisplayed?: (imageId: string) => void;
};

const CURSOR: Partial<Record<ViewerTool, string>> = {
  pan: "grab",
  window: "ns-resize",
  edit: "default",
  magnify: "zoom-in",
};

/**
 * One mammogram in a viewport: the windowed full-depth image on a canvas, the heatmap over it,
 * the regions over both, and the mouse tools (window/level, pan, wheel zoom, drawing regions).
 */
export function MammoViewport(props: Props) {
  const { image, view, adjust, tool } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const heatRef = useRef<HTMLCanvasElement>(null);
  const size = useViewportSize(containerRef);
  const dpr = globalThis.devicePixelRatio || 1;
  const { state, loaded, heldLevel, showScale, wantFull } = useProgressiveImage(image, size);
  const heatmap = useHeatmap(props.showHeatmap && image.heatmapUrl ? image.heatmapUrl : null);

  const hug = props.hug ?? (image.laterality === "R" ? "right" : "left");
  const wantedChestWall = hug === "center" ? (image.laterality === "R" ? "right" : "left") : hug;
  const placement = useMemo<Placement>(
    () => ({ hug, flip: loaded ? loaded.chestWall !== wantedChestWall : false, mirror: props.mirror }),
    [hug, loaded, wantedChestWall, props.mirror],
  );
  // Memoised: the layers redraw when these objects change, not on every render.
  const affine = useMemo<Affine | null>(
    () => (loaded && size.widthPx > 0 ? affineOf(view, size, image, placement) : null),
    [loaded, size, view, image, placement],
  );
  const window = useMemo(() => (loaded ? adjustedWindow(loaded.image.window, adjust) : null), [loaded, adjust]);
  const isInverted = loaded ? loaded.image.isInverted !== props.isInverted : props.isInverted;
  useEffect(() => {
    if (affine) showScale(affine.scale);
  }, [affine, showScale]);

  const { onDisplayed } = props;
  useGreyLayer(canvasRef, { loaded, affine, window, isInverted, size, onDrawn: () => onDisplayed?.(image.id) });
  useHeatmapLayer(heatRef, { heatmap: heatmap.canvas, isShown: props.showHeatmap, affine, size, image });
  useWheelZoom(containerRef, { view, size, placement }, image, props.onViewChange);
  const [magnifyAt, setMagnifyAt] = useState<Point | null>(null);
  const { handlers, shown, measureDraft, isDrawing } = useRoiEditing({
    ...props,
    containerRef,
    affine,
    size,
    placement,
    onMagnify: (at) => {
      setMagnifyAt(at);
      if (at) wantFull();
    },
  });
  const measurements = [
    ...(props.measurements ?? []).filter((m) => m.imageId === image.id),
    ...(measureDraft ? [measureDraft] : []),
  ];

  const name = props.label ?? viewName(image);
  const windowText = window ? `${Math.round(window.center)}/${Math.round(window.width)}` : "";
  return (
    <div
      ref={containerRef}
      className={`viewport${props.isFocused ? " focused" : ""}`}
      role="group"
      aria-label={`${name} viewport`}
      tabIndex={0}
      data-testid={`viewport-${name}`}
      data-state={state.status}
      data-level={heldLevel ?? ""}
      data-window={windowText}
      data-zoom={view.zoom.toFixed(3)}
      data-flipped={placement.flip ? "true" : "false"}
      data-drawing={isDrawing ? "true" : "false"}
      style={{ cursor: CURSOR[tool] ?? "crosshair" }}
      {...handlers}
      onContextMenu={(e) => e.preventDefault()}
    >
      <canvas
        ref={canvasRef}
        className="viewport-layer"
        role="img"
        aria-label={`${name} mammogram${window ? `, window ${windowText}` : ""}`}
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
      {affine && measurements.length ? (
        <MeasureLayer
          measurements={measurements}
          affine={affine}
          spacing={image.pixelSpacingMm}
          width={size.widthPx}
          height={size.heightPx}
        />
      ) : null}
      {magnifyAt && loaded && affine && window ? (
        <Magnifier at={magnifyAt} loaded={loaded} affine={affine} window={window} isInverted={isInverted} />
      ) : null}
      <ViewportOverlays
        name={name}
        window={window}
        zoomPx={affine ? affine.scale * dpr : null}
        status={state}
        errors={[heatmap.error]}
      />
    </div>
  );
}
