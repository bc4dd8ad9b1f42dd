"use client";

import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import { submitReadAction } from "@/app/(app)/reading/actions";
import { HeatmapLegend } from "@/components/viewer/heatmap-legend";
import { CaseViewer } from "@/components/viewer/case-viewer";
import type { ViewerImage, ViewerRoi } from "@/components/viewer/viewer-types";
import { fileUrl, pixelsUrl } from "@/lib/files";
import { formatPercent } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";
import type { ReadingTask } from "@/lib/reading";
import { roiFromApi, type Roi } from "@/viewer/roi-geometry";

/**
 * One case at a time, in the reader's own order: the four views, the subtype by keys 1..n, a
 * confidence slider, an optional ROI mark, Enter to submit. Submitted reads are locked: the
 * session only moves forward. In the AIDED phase the AI's answer and heatmaps are shown next to
 * the reader's own unaided answer.
 */
export function ReadingSession({
  studyName,
  initialTask,
  caseCount,
}: {
  studyName: string;
  initialTask: ReadingTask | null;
  caseCount: number;
}) {
  const [task, setTask] = useState(initialTask);
  const [answer, setAnswer] = useState<string | null>(null);
  const [confidence, setConfidence] = useState(50);
  const [mark, setMark] = useState<{ imageId: string; roi: Roi } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(0);
  const [isPending, startTransition] = useTransition();
  const shownAt = useRef(0);

  useEffect(() => {
    shownAt.current = performance.now();
  }, [task]);

  const subtypeQuestion = task?.questions.find((q) => q.kind === "SUBTYPE");
  const options = useMemo(() => subtypeQuestion?.options ?? [], [subtypeQuestion]);
  const hasConfidence = Boolean(task?.questions.some((q) => q.kind === "CONFIDENCE"));
  const hasRoi = Boolean(task?.questions.some((q) => q.kind === "ROI"));

  const submit = useCallback(() => {
    if (!task || !answer || isPending) return;
    setError(null);
    startTransition(async () => {
      const result = await submitReadAction({
        studyId: task.studyId,
        caseCode: task.caseCode,
        phase: task.phase,
        answer,
        confidence: hasConfidence ? confidence : null,
        roi: mark ? { imageId: mark.imageId, shape: mark.roi.shape, geometry: mark.roi.geometry } : null,
        timeSpentMs: Math.max(0, Math.round(performance.now() - shownAt.current)),
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setSubmitted((n) => n + 1);
      setTask(result.next);
      setAnswer(null);
      setConfidence(50);
      setMark(null);
    });
  }, [task, answer, isPending, hasConfidence, confidence, mark]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        target.closest("input[type=text], input[type=email], textarea, select") ||
        event.metaKey ||
        event.ctrlKey ||
        event.altKey
      )
        return;
      const digit = Number(event.key);
      if (Number.isInteger(digit) && digit >= 1 && digit <= options.length) {
        setAnswer(options[digit - 1]!);
        event.preventDefault();
      } else if (event.key === "Enter" && !(target instanceof HTMLButtonElement)) {
        event.preventDefault();
        submit();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [options, submit]);

  const images = useMemo<ViewerImage[]>(
    () =>
      (task?.images ?? []).map((i) => ({
        id: i.id,
        laterality: i.laterality,
        view: i.view,
        widthPx: i.widthPx,
        heightPx: i.heightPx,
        pixelsUrl: pixelsUrl(i.displayUrl),
        heatmapUrl: task?.ai?.heatmaps.find((h) => h.imageId === i.id)?.url
          ? fileUrl(task.ai.heatmaps.find((h) => h.imageId === i.id)!.url)
          : null,
      })),
    [task],
  );
  const rois = useMemo<ViewerRoi[]>(() => {
    const list: ViewerRoi[] = [];
    // The lesion the question is about (a FINDING study): outlined, never editable.
    for (const [index, m] of (task?.findingMarks ?? []).entries()) {
      const roi = roiFromApi(m.shape, m.geometry);
      if (roi)
        list.push({
          id: `finding-${index}`,
          imageId: m.imageId,
          roi,
          label: "the lesion asked about",
          tone: "lesion",
          isEditable: false,
        });
    }
    const earlier = task?.myUnaidedRead?.roi;
    const earlierRoi = earlier ? roiFromApi(earlier.shape, earlier.geometry) : null;
    if (earlier && earlierRoi)
      list.push({
        id: "unaided-mark",
        imageId: earlier.imageId,
        roi: earlierRoi,
        label: "your unaided mark",
        tone: "annotation",
        isEditable: false,
      });
    if (mark)
      list.push({
        id: "my-mark",
        imageId: mark.imageId,
        roi: mark.roi,
        label: "your mark",
        tone: "reader",
        isEditable: true,
      });
    return list;
  }, [task, mark]);

  if (!task) {
    return (
      <div className="panel stack" role="status">
        <h1>{studyName}</h1>
        <p>
          <strong>All {caseCount} cases read.</strong>{" "}
          {submitted ? `You submitted ${submitted} read${submitted === 1 ? "" : "s"} in this session.` : ""} Your reads
          are locked; thank you.
        </p>
      </div>
    );
  }

  return (
    <div className="reading-layout">
      <div className="stack">
        <CaseViewer
          key={`${task.caseCode}-${task.phase}`}
          images={images}
          rois={rois}
          canDrawRois={hasRoi}
          onCreateRoi={(imageId, roi) => setMark({ imageId, roi })}
          onUpdateRoi={(_id, roi) => setMark((m) => (m ? { ...m, roi } : m))}
          onDeleteRoi={() => setMark(null)}
          label={`Case ${task.caseCode} images`}
        />
      </div>
      <aside className="panel stack reading-panel" aria-label="Your read">
        <h1>{studyName}</h1>
        <p className="progress-count" data-testid="reading-progress">
          Case <strong>{task.position}</strong> of {task.caseCount}
          <span className="muted"> · {task.caseCode}</span>
        </p>
        <progress max={task.caseCount} value={task.position - 1} aria-label="Cases read" />
        {task.unit !== "CASE" ? (
          <p data-testid="reading-unit">
            {task.unit === "FINDING" ? "About the outlined lesion" : "About this breast"}
            {task.laterality ? ` in the ${task.laterality === "R" ? "right" : "left"} breast` : ""}.
          </p>
        ) : null}
        {task.phase === "AIDED" ? (
          <div className="ai-box stack" data-testid="ai-assistance">
            <h2>AI assistance</h2>
            {task.myUnaidedRead ? (
              <p>
                Your unaided answer: <strong>{subtypeLabel(task.myUnaidedRead.answer)}</strong>
                {task.myUnaidedRead.confidence !== null ? (
                  <span className="muted"> (confidence {task.myUnaidedRead.confidence})</span>
                ) : null}
              </p>
            ) : null}
            {task.ai ? (
              <>
                <p>
                  The AI answers <strong data-testid="ai-answer">{subtypeLabel(task.ai.answer)}</strong>
                </p>
                <ul className="plain-list">
                  {task.ai.probabilities.map((p) => (
                    <li key={p.subtype}>
                      {subtypeLabel(p.subtype)} <span className="muted">{formatPercent(p.probability)}</span>
                    </li>
                  ))}
                </ul>
                {task.ai.heatmaps.length ? <HeatmapLegend /> : null}
              </>
            ) : (
              <p className="muted">The AI has no answer for this case.</p>
            )}
            <p className="muted">Answer again, now with the AI&apos;s view.</p>
          </div>
        ) : null}
        <fieldset className="answer-options">
          <legend>
            {subtypeQuestion?.prompt ?? "Subtype"} (keys 1–{options.length})
          </legend>
          {options.map((o, i) => (
            <label key={o} className={`answer-option${answer === o ? " chosen" : ""}`}>
              <input type="radio" name="answer" value={o} checked={answer === o} onChange={() => setAnswer(o)} />
              <kbd>{i + 1}</kbd> {subtypeLabel(o)}
            </label>
          ))}
        </fieldset>
        {hasConfidence ? (
          <div className="field">
            <label htmlFor="confidence">
              Confidence: <strong>{confidence}</strong>
            </label>
            <input
              id="confidence"
              type="range"
              min={0}
              max={100}
              step={1}
              value={confidence}
              onChange={(e) => setConfidence(Number(e.target.value))}
            />
          </div>
        ) : null}
        {hasRoi ? (
          <p className="muted">
            {mark ? "Lesion marked. " : "Optional: mark the lesion with a tool of the toolbar. "}
            {mark ? (
              <button type="button" className="link-button" onClick={() => setMark(null)}>
                Clear mark
              </button>
            ) : null}
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="button" className="primary" onClick={submit} disabled={!answer || isPending}>
          {isPending ? "Submitting…" : "Submit read (Enter)"}
        </button>
        <p className="muted small">
          Submitted reads are locked. You see no truth, no other reader&apos;s answers
          {task.phase === "UNAIDED" ? " and no AI" : ""}.
        </p>
      </aside>
    </div>
  );
}
