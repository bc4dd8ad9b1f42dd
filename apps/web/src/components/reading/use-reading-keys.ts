"use client";

import { useEffect, useRef } from "react";
import { hasCommandModifier, isTypingTarget } from "@/lib/keys";

export type ReadingKeyActions = {
  /** Answer keys work once every view is on screen. */
  isAnswerable: boolean;
  options: string[];
  hasConfidence: boolean;
  /** Digits choose the subtype first, then (if the study asks) the confidence. */
  digitTarget: "subtype" | "confidence";
  setDigitTarget: (target: "subtype" | "confidence") => void;
  chooseAnswer: (answer: string) => void;
  setConfidence: (change: (current: number | null) => number | null) => void;
  submit: () => void;
  toggleHelp: () => void;
  toggleFullScreen: () => void;
};

/** Digit d on the confidence scale: 1..9 are 10..90, 0 is 100. */
export const confidenceOfDigit = (digit: number) => (digit === 0 ? 100 : digit * 10);
const clamp = (v: number) => Math.max(0, Math.min(100, v));
const STEP: Record<string, number> = { ArrowUp: 5, ArrowDown: -5, ArrowRight: 1, ArrowLeft: -1 };

/**
 * The reading shortcuts, wherever focus is on the page (captured before any focused button can
 * take Enter or Space): digits for the subtype then the confidence, arrows to adjust the
 * confidence, Backspace back to the subtype, Enter to submit, ? for the list, Shift+F full screen.
 */
export function useReadingKeys(actions: ReadingKeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const a = latest.current;
      if (isTypingTarget(event.target) || hasCommandModifier(event)) return;
      const target = event.target as HTMLElement;
      const digit = /^[0-9]$/.test(event.key) ? Number(event.key) : null;
      let handled = true;
      if (event.key === "?") a.toggleHelp();
      else if (event.key === "F" && event.shiftKey) a.toggleFullScreen();
      else if (!a.isAnswerable && (event.key === "Enter" || /^[0-9]$/.test(event.key))) {
        // Not yet: keep Enter from activating a focused button meanwhile.
        if (event.key !== "Enter") return;
      } else if (event.key === "Enter") {
        // A polygon being drawn takes Enter to close it.
        if (target.closest?.('[data-drawing="true"]')) return;
        a.submit();
      } else if (digit !== null && a.digitTarget === "confidence" && a.hasConfidence) {
        a.setConfidence(() => confidenceOfDigit(digit));
      } else if (digit !== null && digit >= 1 && digit <= a.options.length) {
        a.chooseAnswer(a.options[digit - 1]!);
        if (a.hasConfidence) a.setDigitTarget("confidence");
      } else if (event.key === "Backspace" && a.digitTarget === "confidence") a.setDigitTarget("subtype");
      else if (STEP[event.key] !== undefined && a.hasConfidence && a.digitTarget === "confidence")
        a.setConfidence((c) => (c === null ? c : clamp(c + STEP[event.key]!)));
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("keydown", onKey, { capture: true });
    return () => window.removeEventListener("keydown", onKey, { capture: true });
  }, []);
}
