import Link from "next/link";
import { StatusBadge } from "@/components/common/status-badge";
import { formatDateTime } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";
import { CasePicker } from "./case-picker";
import { AddReaderForm, RemoveCaseButton, RemoveReaderButton, RunStudyInferenceButton } from "./study-forms";
import { readsDone, readsDue, UNIT_WORDS, type InferenceRunRow, type Study } from "./study-types";

/** Who reads the study and how far each has come (counts only while it is open). */
export function ReadersPanel({ study }: { study: Study }) {
  return (
    <div className="panel stack">
      <h2>Readers and progress</h2>
      {study.status === "OPEN" ? (
        <p className="muted">While the study is open you see counts only, never answers.</p>
      ) : null}
      {study.readers.length === 0 ? (
        <p className="muted">No readers yet.</p>
      ) : (
        <table aria-label="Readers">
          <caption className="visually-hidden">Readers, their arm and their progress</caption>
          <thead>
            <tr>
              <th>Reader</th>
              <th>Arm</th>
              <th>Unaided reads</th>
              <th>Aided reads</th>
              <th>Progress</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {study.readers.map((r) => (
              <tr key={r.id} data-testid="reader-progress">
                <td>
                  {r.userName} <span className="muted">{r.email}</span>
                </td>
                <td>{r.arm.name}</td>
                <td>
                  {r.progress.unaidedReads} / {r.progress.caseCount}
                </td>
                <td>{r.arm.kind === "AIDED" ? `${r.progress.aidedReads} / ${r.progress.caseCount}` : "—"}</td>
                <td>
                  <progress max={Math.max(1, readsDue(r))} value={readsDone(r)} aria-label={`${r.userName} progress`} />{" "}
                  {r.progress.isComplete ? <span className="badge tone-ok">complete</span> : null}
                </td>
                <td>
                  {study.status === "DRAFT" ? (
                    <RemoveReaderButton studyId={study.id} studyReaderId={r.id} email={r.email} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {study.status === "DRAFT" ? <AddReaderForm studyId={study.id} arms={study.arms} /> : null}
    </div>
  );
}

/** The study's cases (by code) and, while a draft, the picker over the coordinator's sites. */
export function CasesPanel({ study, sites }: { study: Study; sites: { id: string; code: string }[] }) {
  const caseCount = study.cases.edges.length;
  const answers = study.questions.find((q) => q.kind === "SUBTYPE")?.options ?? [];
  return (
    <div className="panel stack">
      <h2>Cases ({caseCount})</h2>
      {caseCount === 0 ? (
        <p className="muted">No cases yet.</p>
      ) : (
        <ul className="code-list" aria-label="Study cases">
          {study.cases.edges.map(({ node }) => (
            <li key={node.id}>
              <code>{node.code}</code>{" "}
              {node.case ? (
                <span className="muted">
                  {node.case.accessionKey}
                  {node.finding ? ` · finding ${node.finding.key}` : ""}
                  {(node.laterality ?? node.finding?.laterality)
                    ? ` · ${node.laterality ?? node.finding?.laterality}`
                    : ""}
                </span>
              ) : null}
              {study.status === "DRAFT" && node.case ? (
                <RemoveCaseButton studyId={study.id} caseId={node.case.id} code={node.code} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {study.status === "DRAFT" ? (
        <>
          <h3>
            Add cases with a pathology truth{" "}
            <span className="muted">
              (
              {study.unit === "FINDING"
                ? "their lesion findings"
                : study.unit === "BREAST"
                  ? "their breasts"
                  : "whole cases"}
              )
            </span>
          </h3>
          <CasePicker
            studyId={study.id}
            sites={sites}
            answers={answers}
            inStudy={study.cases.edges.flatMap((e) => (e.node.case ? [e.node.case.id] : []))}
          />
        </>
      ) : null}
    </div>
  );
}

/** The AI compared: its latest run on the study, and a new run while the study is a draft. */
export function AiPanel({ study, runs }: { study: Study; runs: InferenceRunRow[] }) {
  if (!study.modelVersion) return null;
  const latest = runs[0];
  return (
    <div className="panel stack">
      <h2>The AI on these cases</h2>
      {latest ? (
        <p data-testid="study-inference">
          Latest run: <StatusBadge status={latest.status} />{" "}
          <span className="muted">{formatDateTime(latest.createdAt)}</span>{" "}
          {latest.error ? <span className="error">{latest.error}</span> : null}
        </p>
      ) : (
        <p className="muted">
          Not run yet: the aided arm and the report need the AI&apos;s answers for the study&apos;s cases.
        </p>
      )}
      {study.status === "DRAFT" && study.cases.edges.length > 0 ? (
        <RunStudyInferenceButton studyId={study.id} modelVersionId={study.modelVersion.id} />
      ) : null}
      {study.status === "OPEN" ? (
        <p className="muted small">
          The AI is not run again while the study is open: aided readers are shown its answers as they are now.
        </p>
      ) : null}
    </div>
  );
}

/** Arms and questions. */
export function DesignPanel({ study }: { study: Study }) {
  return (
    <div className="panel">
      <h2>Design</h2>
      <p>Arms: {study.arms.map((a) => a.name).join(", ")}</p>
      <ol>
        {study.questions.map((q) => (
          <li key={q.id}>
            {q.prompt}{" "}
            <span className="muted">
              ({q.kind.toLowerCase()}
              {q.options.length ? `: ${q.options.map(subtypeLabel).join(", ")}` : ""}
              {q.isRequired ? "" : ", optional"})
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The study's one-line summary under its name. */
export function StudySummary({ study }: { study: Study }) {
  return (
    <p className="muted">
      {study.description ? `${study.description} · ` : ""}site {study.site.code} · {UNIT_WORDS[study.unit]} · seed{" "}
      {study.seed} · created {formatDateTime(study.createdAt)}
      {study.openedAt ? ` · opened ${formatDateTime(study.openedAt)}` : ""}
      {study.closedAt ? ` · closed ${formatDateTime(study.closedAt)}` : ""} · AI:{" "}
      {study.modelVersion ? (
        <Link href={`/models/${encodeURIComponent(study.modelVersion.id)}`}>
          {study.modelVersion.name} v{study.modelVersion.version}
        </Link>
      ) : (
        "none"
      )}
    </p>
  );
}
