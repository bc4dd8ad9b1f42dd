import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { StatusBadge } from "@/components/common/status-badge";
import {
  AddCasesForm,
  AddReaderForm,
  RemoveCaseButton,
  RemoveReaderButton,
  RunStudyInferenceButton,
  StatusButton,
} from "@/components/studies/study-forms";
import { graphqlOr } from "@/lib/safe-graphql";
import { formatDateTime } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { subtypeLabel } from "@/lib/labels";

type Study = {
  id: string;
  name: string;
  description: string | null;
  status: "DRAFT" | "OPEN" | "CLOSED";
  unit: "FINDING" | "BREAST" | "CASE";
  seed: number;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  site: { id: string; code: string };
  modelVersion: { id: string; name: string; version: number } | null;
  arms: { id: string; kind: string; name: string }[];
  questions: { id: string; kind: string; prompt: string; options: string[]; isRequired: boolean }[];
  readers: {
    id: string;
    email: string;
    userName: string;
    arm: { kind: string; name: string };
    progress: { caseCount: number; unaidedReads: number; aidedReads: number; isComplete: boolean };
  }[];
  cases: {
    edges: {
      node: {
        id: string;
        code: string;
        laterality: "R" | "L" | null;
        finding: { key: string; laterality: "R" | "L" | null } | null;
        case: { id: string; accessionKey: string } | null;
      };
    }[];
    pageInfo: { hasNextPage: boolean };
  };
};

const UNIT_WORDS = {
  FINDING: "readers answer per marked finding",
  BREAST: "readers answer per breast",
  CASE: "readers answer per case",
} as const;

const QUERY = /* GraphQL */ `
  query Study($id: ID!) {
    readerStudy(id: $id) {
      id
      name
      description
      status
      unit
      seed
      createdAt
      openedAt
      closedAt
      site {
        id
        code
      }
      modelVersion {
        id
        name
        version
      }
      arms {
        id
        kind
        name
      }
      questions {
        id
        kind
        prompt
        options
        isRequired
      }
      readers {
        id
        email
        userName
        arm {
          kind
          name
        }
        progress {
          caseCount
          unaidedReads
          aidedReads
          isComplete
        }
      }
      cases(first: 200) {
        edges {
          node {
            id
            code
            laterality
            finding {
              key
              laterality
            }
            case {
              id
              accessionKey
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;
const INFERENCE = /* GraphQL */ `
  query StudyInference($studyId: ID!, $modelVersionId: ID!) {
    inferenceRuns(first: 5, studyId: $studyId, modelVersionId: $modelVersionId) {
      edges {
        node {
          id
          status
          createdAt
          error
        }
      }
    }
  }
`;
const CANDIDATES = /* GraphQL */ `
  query Candidates($siteId: ID) {
    cases(first: 100, filter: { siteId: $siteId }) {
      edges {
        node {
          id
          accessionKey
          truth
          labelStatus
          site {
            code
          }
        }
      }
    }
  }
`;

export default async function StudyPage({ params }: { params: Promise<{ studyId: string }> }) {
  const id = decodeURIComponent((await params).studyId);
  let study: Study;
  try {
    study = (await graphql<{ readerStudy: Study }>(QUERY, { id })).readerStudy;
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const inStudy = new Set(study.cases.edges.map((e) => e.node.case?.id).filter(Boolean));
  const candidates =
    study.status === "DRAFT"
      ? (
          await graphql<{
            cases: {
              edges: {
                node: {
                  id: string;
                  accessionKey: string;
                  truth: string | null;
                  labelStatus: string;
                  site: { code: string };
                };
              }[];
            };
          }>(CANDIDATES, { siteId: study.site.id })
        ).cases.edges
          .map((e) => e.node)
          .filter((c) => c.truth && !inStudy.has(c.id))
          .map((c) => ({ id: c.id, accessionKey: c.accessionKey, truth: c.truth, site: c.site.code }))
      : [];
  const caseCount = study.cases.edges.length;
  const inference = study.modelVersion
    ? (
        await graphqlOr<{
          inferenceRuns: { edges: { node: { id: string; status: string; createdAt: string; error: string | null } }[] };
        }>({ inferenceRuns: { edges: [] } }, INFERENCE, { studyId: study.id, modelVersionId: study.modelVersion.id })
      ).inferenceRuns.edges.map((e) => e.node)
    : [];
  const perReader = (r: Study["readers"][number]) =>
    r.arm.kind === "AIDED" ? r.progress.caseCount * 2 : r.progress.caseCount;
  return (
    <section className="stack">
      <p>
        <Link href="/studies">← Reader studies</Link>
      </p>
      <h1>
        {study.name} <StatusBadge status={study.status} />{" "}
        <AutoRefresh
          isActive={study.status === "OPEN" || inference.some((r) => r.status === "QUEUED" || r.status === "RUNNING")}
          intervalMs={4000}
        />
      </h1>
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
      {study.status === "CLOSED" ? (
        <p className="panel">
          Reading is closed. <Link href={`/studies/${encodeURIComponent(study.id)}/report`}>Open the report</Link>
        </p>
      ) : null}
      <div className="panel stack">
        <h2>Readers and progress</h2>
        {study.status === "OPEN" ? (
          <p className="muted">While the study is open you see counts only, never answers.</p>
        ) : null}
        {study.readers.length === 0 ? (
          <p className="muted">No readers yet.</p>
        ) : (
          <table aria-label="Readers">
            <thead>
              <tr>
                <th>Reader</th>
                <th>Arm</th>
                <th>Unaided reads</th>
                <th>Aided reads</th>
                <th>Progress</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {study.readers.map((r) => {
                const done = r.progress.unaidedReads + r.progress.aidedReads;
                return (
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
                      <progress max={Math.max(1, perReader(r))} value={done} aria-label={`${r.userName} progress`} />{" "}
                      {r.progress.isComplete ? <span className="badge tone-ok">complete</span> : null}
                    </td>
                    <td>
                      {study.status === "DRAFT" ? (
                        <RemoveReaderButton studyId={study.id} studyReaderId={r.id} email={r.email} />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {study.status === "DRAFT" ? <AddReaderForm studyId={study.id} arms={study.arms} /> : null}
      </div>
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
              Add labelled cases of {study.site.code}{" "}
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
            <AddCasesForm studyId={study.id} candidates={candidates} />
          </>
        ) : null}
      </div>
      {study.modelVersion ? (
        <div className="panel stack">
          <h2>The AI on these cases</h2>
          {inference.length ? (
            <p data-testid="study-inference">
              Latest run: <StatusBadge status={inference[0]!.status} />{" "}
              <span className="muted">{formatDateTime(inference[0]!.createdAt)}</span>{" "}
              {inference[0]!.error ? <span className="error">{inference[0]!.error}</span> : null}
            </p>
          ) : (
            <p className="muted">
              Not run yet: the aided arm and the report need the AI&apos;s answers for the study&apos;s cases.
            </p>
          )}
          {study.status !== "CLOSED" && caseCount > 0 ? (
            <RunStudyInferenceButton studyId={study.id} modelVersionId={study.modelVersion.id} />
          ) : null}
        </div>
      ) : null}
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
      {study.status === "DRAFT" ? (
        <StatusButton studyId={study.id} to="OPEN" disabled={caseCount === 0 || study.readers.length === 0} />
      ) : null}
      {study.status === "OPEN" ? <StatusButton studyId={study.id} to="CLOSED" /> : null}
    </section>
  );
}
