"use client";

import { useEffect, useRef, type RefObject } from "react";
import { zoomAt, type ImageSize, type Placement, type ViewportSize, type ViewState } from "@/viewer/view-transform";

/** Wheel zoom about the pointer; a non-passive listener keeps the page from scrolling. */
export function useWheelZoom(
  ref: RefObject<HTMLElement | null>,
  current: { view: ViewState; size: ViewportSize; placement: Placement },
  image: ImageSize,
  onViewChange: (next: ViewState) => void,
): void {
  const latest = useRef(current);
  latest.current = current;
  useEffect(() => {
    const element = ref.current!;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const s = latest.current;
      const factor = Math.exp(-event.deltaY * 0.0015);
      onViewChange(
        zoomAt(s.view, factor, event.clientX - rect.left, event.clientY - rect.top, s.size, image, s.placement),
      );
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [ref, onViewChange, image]);
}
