"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { pixelsUrl } from "@/lib/files";
import type { HangingProtocol } from "@/lib/hanging";
import { stepPath, type ReadingTask } from "@/lib/reading";
import { prefetchImages } from "@/viewer/image-cache";
import { AnswerPanel } from "./answer-panel";
import { ReadingDone } from "./reading-done";
import { ReadingViewer } from "./reading-viewer";
import { useFullScreen } from "./use-full-screen";
import { useReadDraft } from "./use-read-draft";
import { useReadingKeys } from "./use-reading-keys";
import { useReadingStep } from "./use-reading-step";

/**
 * One step at a time, in the reader's own order, at its own URL: the four views hung as the
 * reader chose, the answer panel (answers open once every view is on screen), keys for all of it,
 * the next case fetched ahead. Submitted reads are locked; in the AIDED phase the AI's answer and
 * heatmaps are shown with the reader's own unaided answer.
 */
export function ReadingSession(props: {
  studyId: string;
  studyName: string;
  initialTask: ReadingTask;
  hangingProtocol: HangingProtocol;
}) {
  const { studyId } = props;
  const step = useReadingStep(studyId, props.initialTask);
  const task = step.task;
  const { draft, update, clear } = useReadDraft(studyId, task);
  const [digitTarget, setDigitTarget] = useState<"subtype" | "confidence">("subtype");
  const [displayedKey, setDisplayedKey] = useState<string | null>(null);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const roomRef = useRef<HTMLDivElement>(null);
  const fullScreen = useFullScreen(roomRef);
  const shownAt = useRef(0);
  const stepKey = task ? `${task.caseCode}-${task.phase}` : null;
  const isDisplayed = stepKey !== null && displayedKey === stepKey && step.isVerified;

  useEffect(() => {
    shownAt.current = performance.now();
    setDigitTarget("subtype");
  }, [stepKey]);
  // While this case is read, the next one is fetched and decoded, so it is on screen at once.
  const [prefetchedKey, setPrefetchedKey] = useState<string | null>(null);
  useEffect(() => {
    if (!isDisplayed || !task) return;
    void prefetchImages(task.upcomingImages.map((i) => pixelsUrl(i.displayUrl))).then(() => setPrefetchedKey(stepKey));
  }, [isDisplayed, task, stepKey]);

  const hasConfidence = Boolean(task?.questions.some((q) => q.kind === "CONFIDENCE"));
  const needsConfidence = Boolean(task?.questions.some((q) => q.kind === "CONFIDENCE" && q.isRequired));
  const options = useMemo(() => task?.questions.find((q) => q.kind === "SUBTYPE")?.options ?? [], [task]);
  const missing = [
    ...(draft.answer ? [] : ["the subtype"]),
    ...(needsConfidence && draft.confidence === null ? ["a confidence"] : []),
  ];

  const submit = useCallback(() => {
    if (!task || !isDisplayed || missing.length || step.isPending) return;
    const done = { caseCode: task.caseCode, phase: task.phase };
    step.submit(
      {
        answer: draft.answer!,
        confidence: hasConfidence ? draft.confidence : null,
        roi: draft.mark
          ? { imageId: draft.mark.imageId, shape: draft.mark.roi.shape, geometry: draft.mark.roi.geometry }
          : null,
        timeSpentMs: Math.max(0, Math.round(performance.now() - shownAt.current)),
      },
      () => clear(done),
    );
  }, [task, isDisplayed, missing.length, step, draft, hasConfidence, clear]);

  useReadingKeys({
    isAnswerable: isDisplayed,
    options,
    hasConfidence,
    digitTarget,
    setDigitTarget,
    chooseAnswer: (answer) => update({ answer }),
    setConfidence: (change) => update((d) => ({ confidence: change(d.confidence) })),
    submit,
    toggleHelp: () => setHelpOpen((v) => !v),
    toggleFullScreen: fullScreen.toggle,
  });

  if (!task)
    return (
      <ReadingDone
        studyId={studyId}
        studyName={props.studyName}
        caseCount={props.initialTask.caseCount}
        submitted={step.submitted}
      />
    );
  const signInHref = step.isSignedOut ? `/sign-in?callbackUrl=${encodeURIComponent(stepPath(studyId, task))}` : null;
  return (
    <div
      ref={roomRef}
      className={`reading-room${fullScreen.isOn ? " is-full-screen" : ""}`}
      data-step={stepKey!}
      data-prefetched={prefetchedKey === stepKey ? "true" : undefined}
    >
      <AnswerPanel
        studyName={props.studyName}
        task={task}
        draft={draft}
        chooseAnswer={(answer) => {
          update({ answer });
          if (hasConfidence) setDigitTarget("confidence");
        }}
        setConfidence={(confidence) => update({ confidence })}
        clearMark={() => update({ mark: null })}
        digitTarget={digitTarget}
        isDisplayed={isDisplayed}
        isPending={step.isPending}
        missing={missing}
        error={step.error}
        signInHref={signInHref}
        submit={submit}
      />
      <ReadingViewer
        key={stepKey}
        task={task}
        mark={draft.mark}
        setMark={(change) => update((d) => ({ mark: change(d.mark) }))}
        hangingProtocol={props.hangingProtocol}
        onAllDisplayed={() => setDisplayedKey(stepKey)}
        isHelpOpen={isHelpOpen}
        setHelpOpen={setHelpOpen}
        isFullScreen={fullScreen.isOn}
        toggleFullScreen={fullScreen.toggle}
      />
    </div>
  );
}
