"use client";

import { useCallback, useId, useState } from "react";
import type { Roi } from "@/viewer/roi-geometry";
import { FIT_VIEW, zoomToPixel, type ViewState } from "@/viewer/view-transform";
import { NO_ADJUST, WINDOW_PRESETS, type WindowAdjust } from "@/viewer/window-lut";
import { HeatmapLegend } from "./heatmap-legend";
import { MammoViewport } from "./mammo-viewport";
import { SHAPE_TOOLS, viewName, type ViewerImage, type ViewerRoi, type ViewerTool } from "./viewer-types";

type Layout = "hanging" | "single" | "compare";

type Props = {
  images: ViewerImage[];
  rois?: ViewerRoi[];
  /** Offers the ROI tools (point, box, ellipse, polygon) and editing of editable regions. */
  canDrawRois?: boolean;
  onCreateRoi?: (imageId: string, roi: Roi) => void;
  onUpdateRoi?: (id: string, roi: Roi) => void;
  onDeleteRoi?: (id: string) => void;
  initialLayout?: Layout;
  /** Accessible name of the whole viewer. */
  label?: string;
};

// Standard hanging: right breast on the viewer's left, CC above MLO, chest walls back to back.
const SLOTS = ["RCC", "LCC", "RMLO", "LMLO"] as const;

const TOOL_LABEL: Record<ViewerTool, string> = {
  window: "Window/level",
  pan: "Pan",
  edit: "Select",
  POINT: "Point",
  BOX: "Box",
  ELLIPSE: "Ellipse",
  POLYGON: "Polygon",
};
const TOOL_KEY: Record<ViewerTool, string> = {
  window: "w",
  pan: "h",
  edit: "s",
  POINT: "p",
  BOX: "b",
  ELLIPSE: "e",
  POLYGON: "g",
};

export function CaseViewer(props: Props) {
  const { images } = props;
  const id = useId();
  const hasHeatmap = images.some((i) => i.heatmapUrl);
  const [layout, setLayout] = useState<Layout>(props.initialLayout ?? "hanging");
  const [tool, setTool] = useState<ViewerTool>("window");
  const [adjust, setAdjust] = useState<WindowAdjust>(NO_ADJUST);
  const [isInverted, setInverted] = useState(false);
  const [isLinked, setLinked] = useState(true);
  const [shared, setShared] = useState<ViewState>(FIT_VIEW);
  const [perView, setPerView] = useState<Record<string, ViewState>>({});
  const [focusedId, setFocusedId] = useState<string | null>(images[0]?.id ?? null);
  const [selectedRoiId, setSelectedRoiId] = useState<string | null>(null);
  const [showHeatmap, setShowHeatmap] = useState(hasHeatmap);
  const [opacity, setOpacity] = useState(0.5);
  const focused = images.find((i) => i.id === focusedId) ?? images[0];
  const rois = props.rois ?? [];
  const selected = rois.find((r) => r.id === selectedRoiId && r.isEditable);

  const viewOf = (key: string) => (isLinked ? shared : (perView[key] ?? FIT_VIEW));
  const setViewOf = useCallback(
    (key: string, next: ViewState) => (isLinked ? setShared(next) : setPerView((p) => ({ ...p, [key]: next }))),
    [isLinked],
  );

  function fit() {
    setShared(FIT_VIEW);
    setPerView({});
  }

  function pixelZoom() {
    const element =
      document.querySelector<HTMLElement>(`[data-viewer="${id}"] .viewport.focused`) ??
      document.querySelector<HTMLElement>(`[data-viewer="${id}"] .viewport`);
    if (!element || !focused) return;
    const viewport = { widthPx: element.clientWidth, heightPx: element.clientHeight };
    const isHanging = layout === "hanging" && images.length > 1;
    const placement = {
      hug: isHanging ? (focused.laterality === "R" ? "right" : "left") : "center",
      flip: false,
      mirror: isHanging && isLinked && focused.laterality === "L",
    } as const;
    const dpr = globalThis.devicePixelRatio || 1;
    setViewOf(
      focused.id,
      zoomToPixel(viewOf(focused.id), viewport.widthPx / 2, viewport.heightPx / 2, dpr, viewport, focused, placement),
    );
  }

  function deleteSelected() {
    if (selected && props.onDeleteRoi) {
      props.onDeleteRoi(selected.id);
      setSelectedRoiId(null);
    }
  }

  function onKeyDown(event: React.KeyboardEvent) {
    const target = event.target as HTMLElement;
    if (target.closest("input, select, textarea") || event.metaKey || event.ctrlKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const toolHit = (Object.entries(TOOL_KEY) as [ViewerTool, string][]).find(
      ([t, k]) => k === key && (props.canDrawRois || !(SHAPE_TOOLS as string[]).includes(t)),
    );
    if (toolHit) setTool(toolHit[0]);
    else if (key === "f") fit();
    else if (key === "x") pixelZoom();
    else if (key === "i") setInverted((v) => !v);
    else if (key === "l") setLinked((v) => !v);
    else if (key === "m" && hasHeatmap) setShowHeatmap((v) => !v);
    else if ((event.key === "Delete" || event.key === "Backspace") && selected) deleteSelected();
    else if (event.key === "Escape") setSelectedRoiId(null);
    else return;
    event.preventDefault();
  }

  const common = {
    adjust,
    onAdjustChange: setAdjust,
    isInverted,
    tool,
    rois,
    selectedRoiId,
    onSelectRoi: setSelectedRoiId,
    onCreateRoi: props.onCreateRoi,
    onUpdateRoi: props.onUpdateRoi,
    heatmapOpacity: opacity,
  };

  const tools: ViewerTool[] = [
    "window",
    "pan",
    ...(props.canDrawRois ? (["edit", ...SHAPE_TOOLS] as ViewerTool[]) : []),
  ];
  return (
    <div
      className="case-viewer"
      data-viewer={id}
      onKeyDown={onKeyDown}
      aria-label={props.label ?? "Image viewer"}
      role="region"
    >
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <div className="tool-group" role="group" aria-label="Mouse tool">
          {tools.map((t) => (
            <button
              key={t}
              type="button"
              aria-pressed={tool === t}
              onClick={() => setTool(t)}
              title={`${TOOL_LABEL[t]} (${TOOL_KEY[t].toUpperCase()})`}
            >
              {TOOL_LABEL[t]}
            </button>
          ))}
        </div>
        <label className="inline-field">
          Preset
          <select
            aria-label="Window preset"
            value={
              WINDOW_PRESETS.find(
                (p) => p.adjust.centerShift === adjust.centerShift && p.adjust.widthFactor === adjust.widthFactor,
              )?.id ?? ""
            }
            onChange={(e) => setAdjust(WINDOW_PRESETS.find((p) => p.id === e.target.value)?.adjust ?? NO_ADJUST)}
          >
            <option value="" disabled>
              Custom
            </option>
            {WINDOW_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={isInverted} onClick={() => setInverted((v) => !v)} title="Invert (I)">
          Invert
        </button>
        <button type="button" onClick={fit} title="Fit (F)">
          Fit
        </button>
        <button type="button" onClick={pixelZoom} title="One image pixel per screen pixel (X)">
          1:1
        </button>
        <button
          type="button"
          aria-pressed={isLinked}
          onClick={() => setLinked((v) => !v)}
          title="Link zoom and pan (L)"
        >
          Link zoom
        </button>
        <div className="tool-group" role="group" aria-label="Layout">
          {images.length > 1 ? (
            <button type="button" aria-pressed={layout === "hanging"} onClick={() => setLayout("hanging")}>
              4-view
            </button>
          ) : null}
          <button type="button" aria-pressed={layout === "single"} onClick={() => setLayout("single")}>
            Single
          </button>
          {hasHeatmap ? (
            <button type="button" aria-pressed={layout === "compare"} onClick={() => setLayout("compare")}>
              ROI | heatmap
            </button>
          ) : null}
        </div>
        {props.canDrawRois && props.onDeleteRoi ? (
          <button type="button" onClick={deleteSelected} disabled={!selected} title="Delete the selected region (Del)">
            Delete ROI
          </button>
        ) : null}
        {hasHeatmap ? (
          <div className="tool-group heat-controls">
            <label className="inline-field">
              <input type="checkbox" checked={showHeatmap} onChange={(e) => setShowHeatmap(e.target.checked)} /> Heatmap
            </label>
            <label className="inline-field">
              Opacity
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={opacity}
                onChange={(e) => setOpacity(Number(e.target.value))}
                aria-label="Heatmap opacity"
              />
            </label>
            <HeatmapLegend
              description={
                (images.find((i) => i.id === focusedId) ?? images.find((i) => i.heatmapUrl))?.heatmapDescription
              }
            />
          </div>
        ) : null}
      </div>
      {images.length === 0 ? (
        <p className="muted viewer-empty">No images to show.</p>
      ) : layout === "hanging" && images.length > 1 ? (
        <div className="viewer-grid hanging-grid">
          {SLOTS.map((slot) => {
            const image = images.find((i) => viewName(i) === slot);
            if (!image)
              return (
                <div key={slot} className="viewport empty muted">
                  no {slot}
                </div>
              );
            return (
              <MammoViewport
                key={slot}
                {...common}
                image={image}
                view={viewOf(image.id)}
                onViewChange={(next) => setViewOf(image.id, next)}
                mirror={isLinked && image.laterality === "L"}
                showHeatmap={showHeatmap}
                isFocused={focused?.id === image.id}
                onFocus={() => setFocusedId(image.id)}
              />
            );
          })}
        </div>
      ) : layout === "compare" && focused ? (
        <div className="viewer-grid compare-grid">
          <MammoViewport
            {...common}
            image={focused}
            hug="center"
            view={shared}
            onViewChange={setShared}
            mirror={false}
            showHeatmap={false}
            isFocused
            onFocus={() => undefined}
            label={`${viewName(focused)} regions`}
          />
          <MammoViewport
            {...common}
            rois={[]}
            image={focused}
            hug="center"
            view={shared}
            onViewChange={setShared}
            mirror={false}
            showHeatmap
            isFocused={false}
            onFocus={() => undefined}
            label={`${viewName(focused)} heatmap`}
          />
        </div>
      ) : focused ? (
        <div className="viewer-grid single-grid">
          <MammoViewport
            {...common}
            image={focused}
            hug="center"
            view={viewOf(focused.id)}
            onViewChange={(next) => setViewOf(focused.id, next)}
            mirror={false}
            showHeatmap={showHeatmap}
            isFocused
            onFocus={() => undefined}
          />
          {images.length > 1 ? (
            <div className="tool-group" role="group" aria-label="Shown view">
              {images.map((i) => (
                <button key={i.id} type="button" aria-pressed={i.id === focused.id} onClick={() => setFocusedId(i.id)}>
                  {viewName(i)}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      <p className="muted viewer-help">
        Drag: window/level (right = wider, down = brighter level) · wheel: zoom · Shift+drag: pan · keys W H
        {props.canDrawRois ? " S P B E G" : ""} F X I L
        {props.canDrawRois
          ? " · polygon: click points, Enter or double-click to close · Del deletes the selected region"
          : ""}
      </p>
    </div>
  );
}
