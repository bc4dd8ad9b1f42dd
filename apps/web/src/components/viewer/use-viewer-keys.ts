"use client";

import { useEffect, useRef } from "react";
import { hasCommandModifier, isTypingTarget } from "@/lib/keys";
import { TOOL_KEY } from "./viewer-shortcuts";
import { SHAPE_TOOLS, type ViewerTool } from "./viewer-types";

export type ViewerKeyActions = {
  canDrawRois: boolean;
  hasHeatmap: boolean;
  hasSelection: boolean;
  setTool: (tool: ViewerTool) => void;
  fit: () => void;
  pixelZoom: () => void;
  toggleInvert: () => void;
  toggleLink: () => void;
  toggleHeatmap: () => void;
  deleteSelected: () => void;
  deselect: () => void;
  undo?: () => void;
  toggleHelp?: () => void;
};

/**
 * The viewer's keys, wherever focus is on the page (not while typing in a field): tools, fit,
 * 1:1, invert, link, heatmap, delete, undo (Ctrl+Z), ? for the list.
 */
export function useViewerKeys(actions: ViewerKeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const a = latest.current;
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z" && a.undo) {
        event.preventDefault();
        a.undo();
        return;
      }
      if (hasCommandModifier(event)) return;
      const key = event.key.toLowerCase();
      const tool = (Object.entries(TOOL_KEY) as [ViewerTool, string][]).find(
        ([t, k]) =>
          k === key && !event.shiftKey && (a.canDrawRois || !(["edit", ...SHAPE_TOOLS] as string[]).includes(t)),
      );
      if (tool) a.setTool(tool[0]);
      else if (key === "f" && !event.shiftKey) a.fit();
      else if (key === "x") a.pixelZoom();
      else if (key === "i") a.toggleInvert();
      else if (key === "l") a.toggleLink();
      else if (key === "m" && a.hasHeatmap) a.toggleHeatmap();
      else if ((event.key === "Delete" || event.key === "Backspace") && a.hasSelection) a.deleteSelected();
      else if (event.key === "Escape") a.deselect();
      else if (event.key === "?" && a.toggleHelp) a.toggleHelp();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
