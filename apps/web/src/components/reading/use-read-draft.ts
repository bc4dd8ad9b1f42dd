"use client";

import { useEffect, useState } from "react";
import type { Roi } from "@/viewer/roi-geometry";

export type ReadDraft = {
  answer: string | null;
  /** No default: null until the reader gives one. */
  confidence: number | null;
  mark: { imageId: string; roi: Roi } | null;
};
const EMPTY: ReadDraft = { answer: null, confidence: null, mark: null };

const keyOf = (studyId: string, caseCode: string, phase: string) => `mammo-read-draft:${studyId}:${caseCode}:${phase}`;

function restore(key: string): ReadDraft {
  try {
    const saved = globalThis.sessionStorage?.getItem(key);
    return saved ? { ...EMPTY, ...(JSON.parse(saved) as Partial<ReadDraft>) } : EMPTY;
  } catch {
    return EMPTY; // storage unavailable or unreadable: start empty
  }
}

/**
 * The answer being given for one step, kept in this tab's session storage as it is typed: a read
 * interrupted by an ended session (sign in again, come back to the step) or a reload keeps it.
 * Cleared once submitted.
 */
export function useReadDraft(studyId: string, step: { caseCode: string; phase: string } | null) {
  const key = step ? keyOf(studyId, step.caseCode, step.phase) : null;
  const [state, setState] = useState<{ key: string | null; draft: ReadDraft }>({ key: null, draft: EMPTY });
  // Restored after mount (session storage is not there on the server), then whenever the step changes.
  useEffect(() => {
    setState({ key, draft: key ? restore(key) : EMPTY });
  }, [key]);
  const draft = state.key === key ? state.draft : EMPTY;
  const update = (change: Partial<ReadDraft> | ((d: ReadDraft) => Partial<ReadDraft>)) =>
    setState((s) => {
      if (s.key !== key || !key) return s;
      const next = { ...s.draft, ...(typeof change === "function" ? change(s.draft) : change) };
      try {
        globalThis.sessionStorage?.setItem(key, JSON.stringify(next));
      } catch {
        // storage full or off: the draft still lives in memory
      }
      return { key, draft: next };
    });
  const clear = (done: { caseCode: string; phase: string }) => {
    try {
      globalThis.sessionStorage?.removeItem(keyOf(studyId, done.caseCode, done.phase));
    } catch {
      // nothing stored
    }
  };
  return { draft, update, clear, isRestored: state.key === key };
}
