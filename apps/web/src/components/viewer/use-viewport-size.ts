"use client";

import { useLayoutEffect, useState, type RefObject } from "react";
import type { ViewportSize } from "@/viewer/view-transform";

/** The element's client size in CSS px, kept current as the layout changes. */
export function useViewportSize(ref: RefObject<HTMLElement | null>): ViewportSize {
  const [size, setSize] = useState<ViewportSize>({ widthPx: 0, heightPx: 0 });
  useLayoutEffect(() => {
    const element = ref.current!;
    const measure = () => setSize({ widthPx: element.clientWidth, heightPx: element.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
