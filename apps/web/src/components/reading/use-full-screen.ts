"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

/**
 * Full-screen reading: the reading room alone on the screen (the browser's full screen where it
 * allows it; otherwise the room covers the window, without the app's header).
 */
export function useFullScreen(ref: RefObject<HTMLElement | null>) {
  const [isOn, setOn] = useState(false);
  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement) setOn(false);
    };
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);
  const isOnRef = useRef(isOn);
  isOnRef.current = isOn;
  const toggle = useCallback(() => {
    const next = !isOnRef.current;
    // The browser may refuse (no user gesture, a frame): the room then covers the window by CSS.
    if (next) ref.current?.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    setOn(next);
  }, [ref]);
  return { isOn, toggle };
}
