import Link from "next/link";
import { formatDateTime, formatPercent } from "@/lib/format";
import { graphql } from "@/lib/graphql";
import { currentSite, getMe } from "@/lib/viewer-context";

type Model = {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  createdByName: string;
  site: { code: string };
  metrics: { ensemble?: { accuracy?: number } } | null;
  aliases: { alias: string }[];
  lineage: { datasetName: string; datasetVersion: number; preset: string };
};

const QUERY = /* GraphQL */ `
  query Models($siteId: ID) {
    modelVersions(first: 100, siteId: $siteId) {
      edges {
        node {
          id
          name
          version
          createdAt
          createdByName
          site {
            code
          }
          metrics
          aliases {
            alias
          }
          lineage {
            datasetName
            datasetVersion
            preset
          }
        }
      }
    }
  }
`;

export default async function ModelsPage() {
  const me = (await getMe())!;
  const site = await currentSite(me);
  const { modelVersions } = await graphql<{ modelVersions: { edges: { node: Model }[] } }>(QUERY, {
    siteId: site?.id ?? null,
  });
  return (
    <section className="stack">
      <h1>Models</h1>
      <p>
        <Link href="/models/weights">ImageNet weights</Link>{" "}
        <span className="muted">: the registered files the ueda-2020 preset starts from</span>
      </p>
      {modelVersions.edges.length === 0 ? (
        <p className="muted panel">No published model versions yet. A finished training run publishes one.</p>
      ) : (
        <table aria-label="Model versions">
          <thead>
            <tr>
              <th>Model</th>
              <th>Site</th>
              <th>Trained on</th>
              <th>Test accuracy</th>
              <th>Aliases</th>
              <th>Published</th>
            </tr>
          </thead>
          <tbody>
            {modelVersions.edges.map(({ node: m }) => (
              <tr key={m.id}>
                <td>
                  <Link href={`/models/${encodeURIComponent(m.id)}`}>
                    {m.name} v{m.version}
                  </Link>
                </td>
                <td>{m.site.code}</td>
                <td>
                  {m.lineage.datasetName} v{m.lineage.datasetVersion} · {m.lineage.preset}
                </td>
                <td>{formatPercent(m.metrics?.ensemble?.accuracy)}</td>
                <td>{m.aliases.map((a) => a.alias).join(", ") || "—"}</td>
                <td>
                  {formatDateTime(m.createdAt)} · {m.createdByName}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
