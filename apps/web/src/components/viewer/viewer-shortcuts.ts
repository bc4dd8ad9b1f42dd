import type { ViewerTool } from "./viewer-types";

/** The viewer's keys (one place: the key handler and the shortcut list both read it). */
export const TOOL_KEY: Record<ViewerTool, string> = {
  window: "w",
  pan: "h",
  edit: "s",
  magnify: "z",
  length: "d",
  area: "a",
  POINT: "p",
  BOX: "b",
  ELLIPSE: "e",
  POLYGON: "g",
};

export const TOOL_LABEL: Record<ViewerTool, string> = {
  window: "Window/level",
  pan: "Pan",
  edit: "Select",
  magnify: "Magnifier",
  length: "Length",
  area: "Area",
  POINT: "Point",
  BOX: "Box",
  ELLIPSE: "Ellipse",
  POLYGON: "Polygon",
};

/** The short text on a tool's button (its accessible name is this text and then the full label). */
export const TOOL_SHORT: Partial<Record<ViewerTool, string>> = { window: "W/L", magnify: "Lens" };

export type Shortcut = { keys: string; does: string };

export function viewerShortcuts(options: { canDrawRois: boolean; hasHeatmap: boolean }): Shortcut[] {
  const tools = (Object.keys(TOOL_KEY) as ViewerTool[]).filter(
    (t) => options.canDrawRois || !["edit", "POINT", "BOX", "ELLIPSE", "POLYGON"].includes(t),
  );
  return [
    ...tools.map((t) => ({ keys: TOOL_KEY[t].toUpperCase(), does: `${TOOL_LABEL[t]} tool` })),
    { keys: "Drag", does: "the tool; Shift+drag or middle button: pan; wheel: zoom" },
    { keys: "F", does: "fit the images" },
    { keys: "X", does: "one image pixel per screen pixel" },
    { keys: "I", does: "invert" },
    { keys: "L", does: "link zoom and pan of the views" },
    { keys: "1×4 / 2×2", does: "hanging protocol (toolbar; saved for you)" },
    ...(options.hasHeatmap ? [{ keys: "M", does: "heatmap on or off" }] : []),
    ...(options.canDrawRois
      ? [
          { keys: "Enter / double-click", does: "close the polygon being drawn" },
          { keys: "Del", does: "delete the selected region" },
          { keys: "Ctrl+Z", does: "undo the last region change" },
          { keys: "Esc", does: "deselect, or stop drawing" },
        ]
      : []),
  ];
}
