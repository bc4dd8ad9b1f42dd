import Link from "next/link";
import { notFound } from "next/navigation";
import { LineChart, type LineSeries } from "@/components/charts/line-chart";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { StatusBadge } from "@/components/common/status-badge";
import { CancelRunButton } from "@/components/training/cancel-run-button";
import { formatDateTime } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { formatDuration, progressLine, runProgress } from "@/lib/training";

type Series = { name: string; fold: number; points: { epoch: number; batch: number; value: number }[] };
type Run = {
  id: string;
  status: string;
  preset: string;
  seed: number;
  params: unknown;
  datasetName: string;
  datasetVersion: number;
  datasetVersionId: string;
  datasetDigest: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  requestedByName: string;
  backend: string | null;
  error: string | null;
  cancelRequestedAt: string | null;
  progress: Record<string, unknown> | null;
  modelVersion: { id: string; name: string; version: number } | null;
  metricSeries: Series[];
};

const QUERY = /* GraphQL */ `
  query Run($id: ID!) {
    trainingRun(id: $id) {
      id
      status
      preset
      seed
      params
      datasetName
      datasetVersion
      datasetVersionId
      datasetDigest
      createdAt
      startedAt
      finishedAt
      requestedByName
      backend
      error
      cancelRequestedAt
      progress
      modelVersion {
        id
        name
        version
      }
      metricSeries(epochLevelOnly: true) {
        name
        fold
        points {
          epoch
          batch
          value
        }
      }
    }
  }
`;

const ACTIVE = ["QUEUED", "RUNNING", "CANCELLING"];

function curves(series: Series[], names: string[]): LineSeries[] {
  return series
    .filter((s) => names.includes(s.name) && s.fold >= 0)
    .map((s) => ({
      name: `${s.name.replace("_", " ")} · fold ${s.fold + 1}`,
      dashed: s.name.startsWith("val"),
      points: s.points.map((p) => ({ x: p.epoch, y: p.value })).sort((a, b) => a.x - b.x),
    }));
}

export default async function TrainingRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const id = decodeURIComponent((await params).runId);
  let run: Run;
  try {
    run = (await graphql<{ trainingRun: Run }>(QUERY, { id })).trainingRun;
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const isActive = ACTIVE.includes(run.status);
  // Share of the whole run done: the work of every fold (they train in parallel), elapsed time and ETA.
  const { share, elapsedSeconds, etaSeconds } = runProgress(run, new Date());
  const tests = run.metricSeries.filter((s) => s.fold === -1);
  return (
    <section className="stack">
      <p>
        <Link href="/training">← Training</Link>
      </p>
      <h1>
        Training run <StatusBadge status={run.status} /> <AutoRefresh isActive={isActive} />
      </h1>
      <dl className="facts">
        <dt>Dataset</dt>
        <dd>
          <Link href={`/datasets/versions/${encodeURIComponent(run.datasetVersionId)}`}>
            {run.datasetName} v{run.datasetVersion}
          </Link>{" "}
          <code>{run.datasetDigest.slice(0, 16)}</code>
        </dd>
        <dt>Preset</dt>
        <dd>
          {run.preset} · seed {run.seed}
          {run.backend ? ` · backend ${run.backend}` : ""}
        </dd>
        <dt>Requested</dt>
        <dd>
          {formatDateTime(run.createdAt)} by {run.requestedByName}
          {run.startedAt ? ` · started ${formatDateTime(run.startedAt)}` : ""}
          {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ""}
        </dd>
      </dl>
      <div className="panel stack">
        <h2>Progress</h2>
        <progress max={1} value={share} aria-label="Training progress" />
        <p data-testid="run-progress">
          {run.status === "QUEUED"
            ? "Waiting for a trainer worker…"
            : progressLine(run.progress) || run.status.toLowerCase()}{" "}
          {share > 0 ? <span className="muted">({Math.round(share * 100)}%)</span> : null}
        </p>
        {elapsedSeconds !== null ? (
          <p className="muted" data-testid="run-timing">
            elapsed {formatDuration(elapsedSeconds)}
            {etaSeconds !== null && isActive ? ` · about ${formatDuration(etaSeconds)} left at the rate so far` : ""}
          </p>
        ) : null}
        {run.error ? (
          <p role="alert" className="error">
            {run.error}
          </p>
        ) : null}
        {run.modelVersion ? (
          <p>
            Published model:{" "}
            <Link href={`/models/${encodeURIComponent(run.modelVersion.id)}`} data-testid="published-model">
              {run.modelVersion.name} v{run.modelVersion.version}
            </Link>
          </p>
        ) : null}
        {isActive && run.status !== "CANCELLING" ? <CancelRunButton runId={run.id} /> : null}
        {run.cancelRequestedAt && run.status === "CANCELLING" ? (
          <p className="muted">Cancelling: the worker stops at its next batch.</p>
        ) : null}
      </div>
      <div className="panel charts-row">
        <LineChart title="Loss" xLabel="epoch" yLabel="loss" series={curves(run.metricSeries, ["loss", "val_loss"])} />
        <LineChart
          title="Accuracy"
          xLabel="epoch"
          yLabel="accuracy"
          yMin={0}
          yMax={1}
          series={curves(run.metricSeries, ["accuracy", "val_accuracy"])}
        />
      </div>
      {tests.length ? (
        <div className="panel">
          <h2>Test split (ensemble)</h2>
          <ul className="plain-list">
            {tests.map((s) => (
              <li key={s.name}>
                {s.name.replace(/_/g, " ")}: <strong>{s.points[0]?.value.toFixed(3)}</strong>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <details className="panel">
        <summary>Parameters</summary>
        <pre className="json">{JSON.stringify(run.params, null, 2)}</pre>
      </details>
    </section>
  );
}
