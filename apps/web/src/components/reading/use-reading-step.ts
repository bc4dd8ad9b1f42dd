"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { currentStepAction, submitReadAction, type SubmitInput } from "@/app/(app)/reading/actions";
import { isSameStep, stepPath, studyReadingPath, type ReadingTask } from "@/lib/reading";

type StepState = {
  task: ReadingTask | null;
  /** The shown step was confirmed as the reader's current one (a page restored by Back may be stale). */
  isVerified: boolean;
  error: { message: string; field: string | null } | null;
  isSignedOut: boolean;
  submitted: number;
};

/**
 * The reader's current step, kept in step with the server and the URL: each step has its own URL
 * (pushed on every answer), and whatever the browser shows (Back, Forward, a restored page, another
 * tab) is checked against the server and replaced by the current step when stale.
 */
export function useReadingStep(studyId: string, initialTask: ReadingTask) {
  const [state, setState] = useState<StepState>({
    task: initialTask,
    isVerified: false,
    error: null,
    isSignedOut: false,
    submitted: 0,
  });
  const [isPending, startTransition] = useTransition();
  const taskRef = useRef(state.task);
  taskRef.current = state.task;

  const show = useCallback(
    (task: ReadingTask | null, how: "push" | "replace") => {
      setState((s) => ({ ...s, task, isVerified: true, error: null }));
      const url = task ? stepPath(studyId, task) : studyReadingPath(studyId);
      if (window.location.pathname !== url)
        window.history[how === "push" ? "pushState" : "replaceState"](null, "", url);
    },
    [studyId],
  );

  const verify = useCallback(async () => {
    const result = await currentStepAction(studyId);
    if (!result.ok) return setState((s) => ({ ...s, isSignedOut: true }));
    if (!isSameStep(result.current, taskRef.current)) show(result.current, "replace");
    else setState((s) => ({ ...s, isVerified: true }));
  }, [studyId, show]);

  useEffect(() => {
    void verify();
    // Back/Forward to another step's URL: that step is done (or not yet due); show the current one.
    const onPop = () => {
      const shown = taskRef.current;
      const url = shown ? stepPath(studyId, shown) : studyReadingPath(studyId);
      if (window.location.pathname !== url) window.history.replaceState(null, "", url);
      void verify();
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [studyId, verify]);

  const submit = useCallback(
    (input: Omit<SubmitInput, "studyId" | "caseCode" | "phase">, onDone: () => void) => {
      const task = taskRef.current;
      if (!task) return;
      setState((s) => ({ ...s, error: null }));
      startTransition(async () => {
        const result = await submitReadAction({ studyId, caseCode: task.caseCode, phase: task.phase, ...input });
        if (result.ok) {
          onDone();
          setState((s) => ({ ...s, submitted: s.submitted + 1 }));
          show(result.next, "push");
        } else if (result.kind === "stale") {
          show(result.current, "replace");
          setState((s) => ({
            ...s,
            error: { message: "That step was already answered: this is your current step.", field: null },
          }));
        } else if (result.kind === "signed-out") setState((s) => ({ ...s, isSignedOut: true }));
        else setState((s) => ({ ...s, error: { message: result.error, field: result.field } }));
      });
    },
    [studyId, show],
  );

  return { ...state, isPending, submit };
}
