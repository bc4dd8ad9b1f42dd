import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { StatusBadge } from "@/components/common/status-badge";
import { ClassificationMetricsView, type ClassificationMetrics } from "@/components/models/classification-metrics";
import {
  AliasForm,
  ConcordanceButton,
  EvaluationForm,
  InferenceForm,
  RemoveAliasButton,
} from "@/components/models/model-forms";
import { formatDateTime, formatNumber, formatPercent } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { graphqlOr } from "@/lib/safe-graphql";
import { getMe } from "@/lib/viewer-context";

type FoldMetrics = {
  fold: number;
  bestEpoch: number | null;
  trainImages: number;
  epochsCompleted: number;
  validation: { loss: number; accuracy: number; images: number } | null;
  test?: ClassificationMetrics;
};
type Model = {
  id: string;
  name: string;
  version: number;
  classNames: string[];
  inputSizePx: number;
  artifactSha256: string;
  createdAt: string;
  createdByName: string;
  site: { id: string; code: string };
  metrics: { split?: string; ensemble?: ClassificationMetrics; folds?: FoldMetrics[] } | null;
  aliases: { alias: string; modelName: string }[];
  warnings: { code: string; message: string }[];
  lineage: {
    pretrainedWeights: { name: string; fileName: string; sha256: string; source: string; licence: string } | null;
    datasetId: string;
    datasetName: string;
    datasetVersion: number;
    datasetVersionId: string;
    datasetDigest: string;
    datasetItemCount: number;
    preset: string;
    seed: number;
    codeRevision: string;
    backend: string;
    params: unknown;
    trainingRunId: string | null;
    trainingStartedAt: string;
    trainingFinishedAt: string;
  };
  evaluations: {
    id: string;
    split: string;
    status: string;
    datasetName: string;
    datasetVersion: number;
    createdAt: string;
    metrics: { ensemble?: { accuracy?: number } } | null;
    error: string | null;
  }[];
};
type InferenceRun = {
  id: string;
  status: string;
  target: string;
  studyId: string | null;
  datasetVersionId: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  requestedByName: string;
};

const QUERY = /* GraphQL */ `
  query Model($id: ID!) {
    modelVersion(id: $id) {
      id
      name
      version
      classNames
      inputSizePx
      artifactSha256
      createdAt
      createdByName
      site {
        id
        code
      }
      metrics
      aliases {
        alias
        modelName
      }
      warnings {
        code
        message
      }
      lineage {
        pretrainedWeights {
          name
          fileName
          sha256
          source
          licence
        }
        datasetId
        datasetName
        datasetVersion
        datasetVersionId
        datasetDigest
        datasetItemCount
        preset
        seed
        codeRevision
        backend
        params
        trainingRunId
        trainingStartedAt
        trainingFinishedAt
      }
      evaluations {
        id
        split
        status
        datasetName
        datasetVersion
        createdAt
        metrics
        error
      }
    }
    inferenceRuns(first: 20, modelVersionId: $id) {
      edges {
        node {
          id
          status
          target
          studyId
          datasetVersionId
          createdAt
          finishedAt
          error
          requestedByName
        }
      }
    }
  }
`;
const TARGETS = /* GraphQL */ `
  query Targets {
    readerStudies(first: 50) {
      edges {
        node {
          id
          name
          status
        }
      }
    }
    datasets(first: 100) {
      edges {
        node {
          name
          versions {
            id
            version
          }
        }
      }
    }
  }
`;

export default async function ModelPage({ params }: { params: Promise<{ modelId: string }> }) {
  const id = decodeURIComponent((await params).modelId);
  let data: { modelVersion: Model; inferenceRuns: { edges: { node: InferenceRun }[] } };
  try {
    data = await graphql(QUERY, { id });
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const me = (await getMe())!;
  const m = data.modelVersion;
  const targets = await graphqlOr<{
    readerStudies: { edges: { node: { id: string; name: string; status: string } }[] };
    datasets: { edges: { node: { name: string; versions: { id: string; version: number }[] } }[] };
  }>({ readerStudies: { edges: [] }, datasets: { edges: [] } }, TARGETS);
  const isMl = me.memberships.some((x) => x.site.id === m.site.id && x.role === "ML_ENGINEER");
  const studies = targets.readerStudies.edges.map((e) => e.node);
  const versions = targets.datasets.edges.flatMap(({ node }) =>
    node.versions.map((v) => ({ id: v.id, label: `${node.name} v${v.version}` })),
  );
  const runs = data.inferenceRuns.edges.map((e) => e.node);
  const isActive =
    runs.some((r) => ["QUEUED", "RUNNING"].includes(r.status)) ||
    m.evaluations.some((e) => ["QUEUED", "RUNNING"].includes(e.status));
  const l = m.lineage;
  return (
    <section className="stack">
      <p>
        <Link href="/models">← Models</Link>
      </p>
      <h1>
        {m.name} v{m.version}{" "}
        {m.aliases.map((a) => (
          <span key={a.alias} className="badge tone-info">
            {a.alias}
          </span>
        ))}{" "}
        <AutoRefresh isActive={isActive} intervalMs={3000} />
      </h1>
      {m.warnings.length ? (
        <div className="notice" role="alert" data-testid="model-warnings">
          <strong>Do not report results with this model as they stand:</strong>
          <ul className="plain-list">
            {m.warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="panel stack">
        <h2>Test metrics</h2>
        {m.metrics?.ensemble ? (
          <ClassificationMetricsView metrics={m.metrics.ensemble} title="Ensemble on the test split" />
        ) : (
          <p className="muted">No test metrics recorded.</p>
        )}
        {m.metrics?.folds?.length ? (
          <table aria-label="Folds" style={{ width: "auto" }}>
            <thead>
              <tr>
                <th>Fold</th>
                <th>Train images</th>
                <th>Epochs</th>
                <th>Best epoch</th>
                <th>Val loss</th>
                <th>Val accuracy</th>
                <th>Test accuracy</th>
              </tr>
            </thead>
            <tbody>
              {m.metrics.folds.map((f) => (
                <tr key={f.fold}>
                  <td>{f.fold + 1}</td>
                  <td>{f.trainImages}</td>
                  <td>{f.epochsCompleted}</td>
                  <td>{f.bestEpoch ?? "—"}</td>
                  <td>{formatNumber(f.validation?.loss)}</td>
                  <td>{formatPercent(f.validation?.accuracy)}</td>
                  <td>{formatPercent(f.test?.accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="panel stack">
        <h2>Lineage</h2>
        <dl className="facts">
          <dt>Dataset</dt>
          <dd>
            <Link href={`/datasets/versions/${encodeURIComponent(l.datasetVersionId)}`}>
              {l.datasetName} v{l.datasetVersion}
            </Link>{" "}
            ({l.datasetItemCount} images) <code>{l.datasetDigest}</code>
          </dd>
          <dt>Training</dt>
          <dd>
            {l.trainingRunId ? <Link href={`/training/${encodeURIComponent(l.trainingRunId)}`}>run</Link> : "run"} ·
            preset {l.preset} · seed {l.seed} · {formatDateTime(l.trainingStartedAt)} →{" "}
            {formatDateTime(l.trainingFinishedAt)}
          </dd>
          <dt>Starting weights</dt>
          <dd data-testid="lineage-weights">
            {l.pretrainedWeights ? (
              <>
                ImageNet: {l.pretrainedWeights.name} ({l.pretrainedWeights.fileName}){" "}
                <code>{l.pretrainedWeights.sha256}</code> · source {l.pretrainedWeights.source} · licence{" "}
                {l.pretrainedWeights.licence}
              </>
            ) : (
              "random (no pretrained weights)"
            )}
          </dd>
          <dt>Code and backend</dt>
          <dd>
            <code>{l.codeRevision}</code> · {l.backend}
          </dd>
          <dt>Model</dt>
          <dd>
            classes {m.classNames.join(", ")} · input {m.inputSizePx} px · artifact{" "}
            <code>{m.artifactSha256.slice(0, 16)}</code>
          </dd>
          <dt>Published</dt>
          <dd>
            {formatDateTime(m.createdAt)} by {m.createdByName} · site {m.site.code}
          </dd>
        </dl>
        <details>
          <summary>Parameters</summary>
          <pre className="json">{JSON.stringify(l.params, null, 2)}</pre>
        </details>
      </div>
      <div className="panel stack">
        <h2>Aliases</h2>
        {m.aliases.length ? (
          <ul className="plain-list">
            {m.aliases.map((a) => (
              <li key={a.alias}>
                <strong>{a.alias}</strong>{" "}
                {isMl ? (
                  <RemoveAliasButton modelVersionId={m.id} alias={a.alias} modelName={a.modelName} siteId={m.site.id} />
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No alias points to this version.</p>
        )}
        {isMl ? <AliasForm modelVersionId={m.id} /> : null}
      </div>
      <div className="panel stack">
        <h2>Inference</h2>
        <InferenceForm modelVersionId={m.id} studies={studies} versions={versions} />
        {runs.length ? (
          <table aria-label="Inference runs">
            <thead>
              <tr>
                <th>Requested</th>
                <th>Target</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    {formatDateTime(r.createdAt)} · {r.requestedByName}
                  </td>
                  <td>
                    {r.target === "STUDY" && r.studyId ? (
                      <Link href={`/studies/${encodeURIComponent(r.studyId)}`}>reader study</Link>
                    ) : r.target === "DATASET_VERSION" && r.datasetVersionId ? (
                      <Link href={`/datasets/versions/${encodeURIComponent(r.datasetVersionId)}`}>dataset version</Link>
                    ) : (
                      r.target.toLowerCase()
                    )}
                  </td>
                  <td>
                    <StatusBadge status={r.status} /> {r.error ? <span className="error">{r.error}</span> : null}
                  </td>
                  <td>
                    {r.status === "SUCCEEDED" ? (
                      <ConcordanceButton modelVersionId={m.id} inferenceRunId={r.id} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No inference run yet.</p>
        )}
      </div>
      <div className="panel stack">
        <h2>Evaluations</h2>
        {isMl ? <EvaluationForm modelVersionId={m.id} versions={versions} /> : null}
        {m.evaluations.length ? (
          <table aria-label="Evaluations">
            <thead>
              <tr>
                <th>Dataset</th>
                <th>Split</th>
                <th>Status</th>
                <th>Accuracy</th>
              </tr>
            </thead>
            <tbody>
              {m.evaluations.map((e) => (
                <tr key={e.id}>
                  <td>
                    {e.datasetName} v{e.datasetVersion}
                  </td>
                  <td>{e.split.toLowerCase()}</td>
                  <td>
                    <StatusBadge status={e.status} /> {e.error ? <span className="error">{e.error}</span> : null}
                  </td>
                  <td>{formatPercent(e.metrics?.ensemble?.accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No evaluation yet.</p>
        )}
      </div>
    </section>
  );
}
