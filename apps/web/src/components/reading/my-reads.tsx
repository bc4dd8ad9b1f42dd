"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { correctReadAction } from "@/app/(app)/reading/actions";
import { formatDateTime } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";

export type MyRead = {
  id: string;
  caseCode: string;
  phase: "UNAIDED" | "AIDED";
  version: number;
  answer: string;
  confidence: number | null;
  submittedAt: string;
  correctionReason: string | null;
};

/** Why a read cannot be corrected, or null when it can. */
function lockedBecause(read: MyRead, latest: boolean, isOpen: boolean, isAidedArm: boolean): string | null {
  if (!isOpen) return "the study is closed";
  if (!latest) return "a later version exists";
  if (isAidedArm && read.phase === "UNAIDED") return "the AI's answer was shown right after it";
  return null;
}

function CorrectForm(props: { read: MyRead; options: string[]; asksConfidence: boolean; onDone: () => void }) {
  const { read } = props;
  const [answer, setAnswer] = useState(read.answer);
  const [confidence, setConfidence] = useState(read.confidence === null ? "" : String(read.confidence));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [isPending, startTransition] = useTransition();
  const router = useRouter();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await correctReadAction({
        readId: read.id,
        reason,
        answer,
        confidence: props.asksConfidence && confidence !== "" ? Number(confidence) : null,
      });
      if (!result.ok) return setError({ message: result.error, field: result.field });
      props.onDone();
      router.refresh();
    });
  };
  const fieldError = (field: string) =>
    error && error.field === field ? (
      <span role="alert" className="error small">
        {error.message}
      </span>
    ) : null;
  return (
    <form className="stack panel" aria-label={`Correct the read of ${read.caseCode}`} onSubmit={submit}>
      <div className="row">
        <label className="field">
          Answer
          <select value={answer} onChange={(e) => setAnswer(e.target.value)}>
            {props.options.map((o) => (
              <option key={o} value={o}>
                {subtypeLabel(o)}
              </option>
            ))}
          </select>
          {fieldError("answer")}
        </label>
        {props.asksConfidence ? (
          <label className="field">
            Confidence (0-100)
            <input type="number" min={0} max={100} value={confidence} onChange={(e) => setConfidence(e.target.value)} />
            {fieldError("confidence")}
          </label>
        ) : null}
        <label className="field grow">
          Reason for the correction
          <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} required />
          {fieldError("reason")}
        </label>
      </div>
      {error && !["answer", "confidence", "reason"].includes(error.field ?? "") ? (
        <p role="alert" className="error">
          {error.message}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={isPending}>
          {isPending ? "Saving…" : "Save correction"}
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Every version of the reader's reads; the latest of each can be corrected with a reason where the rules allow. */
export function MyReads(props: {
  reads: MyRead[];
  isOpen: boolean;
  isAidedArm: boolean;
  options: string[];
  asksConfidence: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const latestVersion = new Map<string, number>();
  for (const r of props.reads)
    latestVersion.set(
      `${r.caseCode}-${r.phase}`,
      Math.max(r.version, latestVersion.get(`${r.caseCode}-${r.phase}`) ?? 0),
    );
  if (props.reads.length === 0) return <p className="muted panel">No reads yet.</p>;
  return (
    <div className="stack">
      <table aria-label="Your reads">
        <caption className="muted">Each correction is a new version with its reason; earlier versions stay.</caption>
        <thead>
          <tr>
            <th>Case</th>
            <th>Phase</th>
            <th>Version</th>
            <th>Answer</th>
            <th>Confidence</th>
            <th>Submitted</th>
            <th>Correction reason</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.reads.map((r) => {
            const latest = latestVersion.get(`${r.caseCode}-${r.phase}`) === r.version;
            const locked = lockedBecause(r, latest, props.isOpen, props.isAidedArm);
            return (
              <tr key={r.id} data-testid="my-read">
                <td>{r.caseCode}</td>
                <td>{r.phase === "AIDED" ? "Aided" : "Unaided"}</td>
                <td>{r.version}</td>
                <td>{subtypeLabel(r.answer)}</td>
                <td>{r.confidence ?? "—"}</td>
                <td>{formatDateTime(r.submittedAt)}</td>
                <td>{r.correctionReason ?? ""}</td>
                <td>
                  {locked ? (
                    <span className="muted small">{latest ? `Locked: ${locked}` : ""}</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => setEditing(r.id)}
                      aria-label={`Correct ${r.caseCode} ${r.phase.toLowerCase()}`}
                    >
                      Correct
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing ? (
        <CorrectForm
          key={editing}
          read={props.reads.find((r) => r.id === editing)!}
          options={props.options}
          asksConfidence={props.asksConfidence}
          onDone={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}
