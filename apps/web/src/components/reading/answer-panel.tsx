"use client";

import { HeatmapLegend } from "@/components/viewer/heatmap-legend";
import { formatPercent } from "@/lib/format";
import { heatmapDescription, subtypeLabel } from "@/lib/labels";
import type { ReadingTask } from "@/lib/reading";
import { ConfidenceScale } from "./confidence-scale";
import type { ReadDraft } from "./use-read-draft";

type Props = {
  studyName: string;
  task: ReadingTask;
  draft: ReadDraft;
  chooseAnswer: (answer: string) => void;
  setConfidence: (value: number) => void;
  clearMark: () => void;
  digitTarget: "subtype" | "confidence";
  isDisplayed: boolean;
  isPending: boolean;
  missing: string[];
  error: { message: string; field: string | null } | null;
  signInHref: string | null;
  submit: () => void;
};

function AiAssistance({ task }: { task: ReadingTask }) {
  return (
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
          {task.ai.heatmaps[0] ? (
            <HeatmapLegend description={heatmapDescription({ ...task.ai.heatmaps[0], subtype: task.ai.answer })} />
          ) : null}
        </>
      ) : (
        <p className="muted">The AI has no answer for this case.</p>
      )}
      <p className="muted">Answer again, now with the AI&apos;s view.</p>
    </div>
  );
}

/** The reader's side of the reading room: where they are, the AI (aided step), their answer, submit. */
export function AnswerPanel(p: Props) {
  const { task, draft } = p;
  const subtypeQuestion = task.questions.find((q) => q.kind === "SUBTYPE");
  const confidenceQuestion = task.questions.find((q) => q.kind === "CONFIDENCE");
  const hasRoi = task.questions.some((q) => q.kind === "ROI");
  const options = subtypeQuestion?.options ?? [];
  const isLocked = !p.isDisplayed;
  return (
    <aside className="panel stack reading-panel" aria-label="Your read">
      <h1>{p.studyName}</h1>
      <p className="progress-count" data-testid="reading-progress">
        Case <strong>{task.position}</strong> of {task.caseCount}
        <span className="muted"> · {task.caseCode}</span>
        {task.phase === "AIDED" ? <span className="badge">with AI</span> : null}
      </p>
      <progress max={task.caseCount} value={task.position - 1} aria-label="Cases read" />
      {task.unit !== "CASE" ? (
        <p data-testid="reading-unit">
          {task.unit === "FINDING" ? "About the outlined lesion" : "About this breast"}
          {task.laterality ? ` in the ${task.laterality === "R" ? "right" : "left"} breast` : ""}.
        </p>
      ) : null}
      {task.phase === "AIDED" ? <AiAssistance task={task} /> : null}
      {isLocked ? (
        <p className="muted small" role="status" data-testid="answer-wait">
          Answers open once every view is on screen…
        </p>
      ) : null}
      <fieldset className="answer-options" disabled={isLocked}>
        <legend>
          {subtypeQuestion?.prompt ?? "Subtype"} (keys 1–{options.length})
        </legend>
        {options.map((o, i) => (
          <label
            key={o}
            className={`answer-option${draft.answer === o ? " chosen" : ""}${p.digitTarget === "subtype" ? " key-target" : ""}`}
          >
            <input
              type="radio"
              name="answer"
              value={o}
              checked={draft.answer === o}
              onChange={() => p.chooseAnswer(o)}
            />
            <kbd>{i + 1}</kbd> {subtypeLabel(o)}
          </label>
        ))}
      </fieldset>
      {confidenceQuestion ? (
        <fieldset disabled={isLocked} className="plain-fieldset">
          <ConfidenceScale
            value={draft.confidence}
            onChange={p.setConfidence}
            isKeyTarget={p.digitTarget === "confidence"}
            prompt={confidenceQuestion.isRequired ? "Confidence (required)" : "Confidence (optional)"}
          />
        </fieldset>
      ) : null}
      {hasRoi ? (
        <p className="muted small">
          {draft.mark ? "Lesion marked. " : "Optional: mark the lesion with a region tool of the toolbar. "}
          {draft.mark ? (
            <button type="button" className="link-button" onClick={p.clearMark}>
              Clear mark
            </button>
          ) : null}
        </p>
      ) : null}
      {p.signInHref ? (
        <div role="alert" className="error stack">
          <p>
            Your session has ended. Your answer is kept in this browser tab: sign in again and you come back to this
            case with it.
          </p>
          <a className="button-link" href={p.signInHref}>
            Sign in again
          </a>
        </div>
      ) : p.error ? (
        <p role="alert" className="error">
          {p.error.message}
        </p>
      ) : null}
      <button
        type="button"
        className="primary"
        onClick={p.submit}
        disabled={isLocked || p.missing.length > 0 || p.isPending}
        aria-describedby="submit-needs"
      >
        {p.isPending ? "Submitting…" : "Submit read (Enter)"}
      </button>
      <p id="submit-needs" className="muted small">
        {p.missing.length ? `Still needed: ${p.missing.join(", ")}. ` : ""}Submitted reads are locked. You see no truth,
        no other reader&apos;s answers{task.phase === "UNAIDED" ? " and no AI" : ""}. Press ? for every key.
      </p>
    </aside>
  );
}
