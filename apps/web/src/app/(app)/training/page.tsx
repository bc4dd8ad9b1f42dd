import Link from "next/link";
import { DataTable } from "@/components/common/data-table";
import { StatusBadge } from "@/components/common/status-badge";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { StartTrainingForm } from "@/components/training/start-training-form";
import { formatDateTime } from "@/lib/format";
import { progressLine, runProgress } from "@/lib/training";
import { graphql } from "@/lib/graphql";
import { currentSite, getMe } from "@/lib/viewer-context";

type Run = {
  id: string;
  status: string;
  preset: string;
  datasetName: string;
  datasetVersion: number;
  createdAt: string;
  requestedByName: string;
  progress: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
  modelVersion: { id: string; name: string; version: number } | null;
};
type Query = {
  trainingRuns: { edges: { node: Run }[] };
  datasets: {
    edges: {
      node: {
        name: string;
        site: { id: string; code: string };
        versions: { id: string; version: number; itemCount: number }[];
      };
    }[];
  };
  pretrainedWeights: { weightsId: string; name: string; sha256: string; site: { id: string } }[];
};

const QUERY = /* GraphQL */ `
  query Training($siteId: ID) {
    trainingRuns(first: 50, siteId: $siteId) {
      edges {
        node {
          id
          status
          preset
          datasetName
          datasetVersion
          createdAt
          requestedByName
          progress
          startedAt
          finishedAt
          modelVersion {
            id
            name
            version
          }
        }
      }
    }
    datasets(first: 100) {
      edges {
        node {
          name
          site {
            id
            code
          }
          versions {
            id
            version
            itemCount
          }
        }
      }
    }
    pretrainedWeights {
      weightsId
      name
      sha256
      site {
        id
      }
    }
  }
`;

export default async function TrainingPage() {
  const me = (await getMe())!;
  const site = await currentSite(me);
  const data = await graphql<Query>(QUERY, { siteId: site?.id ?? null });
  const mlSites = new Set(me.memberships.filter((m) => m.role === "ML_ENGINEER").map((m) => m.site.id));
  const versions = data.datasets.edges
    .filter(({ node }) => mlSites.has(node.site.id))
    .flatMap(({ node }) =>
      node.versions.map((v) => ({
        id: v.id,
        label: `${node.name} v${v.version} (${v.itemCount} images)`,
        siteId: node.site.id,
        siteCode: node.site.code,
      })),
    );
  const weights = data.pretrainedWeights.map((w) => ({
    id: w.weightsId,
    label: `${w.name} (sha256 ${w.sha256.slice(0, 12)}…)`,
    siteId: w.site.id,
  }));
  const runs = data.trainingRuns.edges.map((e) => e.node);
  const isActive = runs.some((r) => ["QUEUED", "RUNNING", "CANCELLING"].includes(r.status));
  return (
    <section className="stack">
      <h1>
        Training <AutoRefresh isActive={isActive} intervalMs={3000} />
      </h1>
      <div className="panel">
        <h2>Start a run</h2>
        <StartTrainingForm versions={versions} weights={weights} />
      </div>
      <div className="panel">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No training runs yet.</p>
        ) : (
          <DataTable label="Training runs" columns={["Run", "Status", "Dataset", "Preset", "Progress", "Model"]}>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/training/${encodeURIComponent(r.id)}`}>{formatDateTime(r.createdAt)}</Link>
                  <div className="muted">{r.requestedByName}</div>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td>
                  {r.datasetName} v{r.datasetVersion}
                </td>
                <td>{r.preset}</td>
                <td className="muted">
                  {progressLine(r.progress)}
                  {r.status === "RUNNING" ? ` · ${Math.round(runProgress(r, new Date()).share * 100)}%` : ""}
                </td>
                <td>
                  {r.modelVersion ? (
                    <Link href={`/models/${encodeURIComponent(r.modelVersion.id)}`}>
                      {r.modelVersion.name} v{r.modelVersion.version}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </section>
  );
}
