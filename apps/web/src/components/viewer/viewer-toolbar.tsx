"use client";

import { HANGING_LABEL, type HangingProtocol } from "@/lib/hanging";
import { NO_ADJUST, WINDOW_PRESETS, type WindowAdjust } from "@/viewer/window-lut";
import { HeatmapLegend } from "./heatmap-legend";
import { TOOL_KEY, TOOL_LABEL, TOOL_SHORT } from "./viewer-shortcuts";
import { SHAPE_TOOLS, type ViewerTool } from "./viewer-types";

export type ViewerLayout = "hanging" | "single" | "compare";

type Props = {
  tool: ViewerTool;
  setTool: (tool: ViewerTool) => void;
  canDrawRois: boolean;
  adjust: WindowAdjust;
  setAdjust: (adjust: WindowAdjust) => void;
  isInverted: boolean;
  toggleInvert: () => void;
  fit: () => void;
  pixelZoom: () => void;
  isLinked: boolean;
  toggleLink: () => void;
  layout: ViewerLayout;
  setLayout: (layout: ViewerLayout) => void;
  protocol: HangingProtocol;
  setProtocol: (protocol: HangingProtocol) => void;
  imageCount: number;
  hasHeatmap: boolean;
  showHeatmap: boolean;
  setShowHeatmap: (show: boolean) => void;
  opacity: number;
  setOpacity: (opacity: number) => void;
  /** The heat scale legend in the toolbar (the reading panel shows its own). */
  showLegend: boolean;
  /** How the heatmap shown was made (method, layer, score, class). */
  heatmapDescription?: string | null;
  canDelete: boolean;
  deleteSelected: (() => void) | null;
  measurementCount: number;
  clearMeasurements: () => void;
  openHelp: () => void;
  extra?: React.ReactNode;
};

const tip = (tool: ViewerTool) => `${TOOL_LABEL[tool]} (${TOOL_KEY[tool].toUpperCase()})`;

/** One row of viewer controls: it scrolls sideways rather than wrap over the images. */
export function ViewerToolbar(p: Props) {
  const tools: ViewerTool[] = [
    "window",
    "pan",
    "magnify",
    "length",
    "area",
    ...(p.canDrawRois ? (["edit", ...SHAPE_TOOLS] as ViewerTool[]) : []),
  ];
  const preset =
    WINDOW_PRESETS.find(
      (w) => w.adjust.centerShift === p.adjust.centerShift && w.adjust.widthFactor === p.adjust.widthFactor,
    )?.id ?? "";
  const isHanging = p.layout === "hanging";
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="tool-group" role="group" aria-label="Mouse tool">
        {tools.map((t) => (
          <button
            key={t}
            type="button"
            aria-pressed={p.tool === t}
            onClick={() => p.setTool(t)}
            title={tip(t)}
            aria-label={TOOL_SHORT[t] ? `${TOOL_SHORT[t]} ${TOOL_LABEL[t]}` : undefined}
          >
            {TOOL_SHORT[t] ?? TOOL_LABEL[t]}
          </button>
        ))}
      </div>
      <select
        aria-label="Window preset"
        title="Window preset"
        value={preset}
        onChange={(e) => p.setAdjust(WINDOW_PRESETS.find((w) => w.id === e.target.value)?.adjust ?? NO_ADJUST)}
      >
        <option value="" disabled>
          Custom window
        </option>
        {WINDOW_PRESETS.map((w) => (
          <option key={w.id} value={w.id}>
            {w.label}
          </option>
        ))}
      </select>
      <button type="button" aria-pressed={p.isInverted} onClick={p.toggleInvert} title="Invert (I)">
        Invert
      </button>
      <button type="button" onClick={p.fit} title="Fit (F)">
        Fit
      </button>
      <button type="button" onClick={p.pixelZoom} title="One image pixel per screen pixel (X)">
        1:1
      </button>
      <button type="button" aria-pressed={p.isLinked} onClick={p.toggleLink} title="Link zoom and pan (L)">
        Link
      </button>
      <div className="tool-group" role="group" aria-label="Layout">
        {p.imageCount > 1
          ? (["ONE_BY_FOUR", "TWO_BY_TWO"] as const).map((h) => (
              <button
                key={h}
                type="button"
                aria-pressed={isHanging && p.protocol === h}
                onClick={() => {
                  p.setLayout("hanging");
                  p.setProtocol(h);
                }}
                title={
                  h === "ONE_BY_FOUR" ? "RCC LCC RMLO LMLO in a row (saved for you)" : "CC above MLO (saved for you)"
                }
              >
                {HANGING_LABEL[h]}
              </button>
            ))
          : null}
        <button
          type="button"
          aria-pressed={p.layout === "single"}
          onClick={() => p.setLayout("single")}
          title="One view"
        >
          1-up
        </button>
        {p.hasHeatmap ? (
          <button
            type="button"
            aria-pressed={p.layout === "compare"}
            onClick={() => p.setLayout("compare")}
            title="The focused view twice: regions and heatmap side by side"
          >
            Compare
          </button>
        ) : null}
      </div>
      {p.canDrawRois && p.deleteSelected ? (
        <button
          type="button"
          onClick={p.deleteSelected}
          disabled={!p.canDelete}
          title="Delete the selected region (Del)"
        >
          Delete ROI
        </button>
      ) : null}
      {p.measurementCount ? (
        <button type="button" onClick={p.clearMeasurements} title="Remove the measurements">
          Clear {p.measurementCount} measurement{p.measurementCount === 1 ? "" : "s"}
        </button>
      ) : null}
      {p.hasHeatmap ? <HeatControls {...p} /> : null}
      <button type="button" onClick={p.openHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
      {p.extra}
    </div>
  );
}

function HeatControls(
  p: Pick<Props, "showHeatmap" | "setShowHeatmap" | "opacity" | "setOpacity" | "showLegend" | "heatmapDescription">,
) {
  return (
    <div className="tool-group heat-controls">
      <label className="inline-field">
        <input
          type="checkbox"
          checked={p.showHeatmap}
          onChange={(e) => p.setShowHeatmap(e.target.checked)}
          aria-label="Heatmap"
        />{" "}
        Heat
      </label>
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={p.opacity}
        onChange={(e) => p.setOpacity(Number(e.target.value))}
        aria-label="Heatmap opacity"
        title="Heatmap opacity"
        className="opacity-range"
      />
      {p.showLegend ? <HeatmapLegend description={p.heatmapDescription} /> : null}
    </div>
  );
}
