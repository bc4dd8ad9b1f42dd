import Link from "next/link";
import { CreateDatasetForm } from "@/components/datasets/create-dataset-form";
import { formatDateTime } from "@/lib/format";
import { graphql } from "@/lib/graphql";
import { currentSite, getMe, sitesOf, sitesWithRole } from "@/lib/viewer-context";

type DatasetsQuery = {
  datasets: {
    edges: {
      node: {
        id: string;
        name: string;
        description: string | null;
        site: { code: string };
        updatedAt: string;
        filter: { subtypes: string[] };
        versions: { id: string; version: number; itemCount: number; digest: string; frozenAt: string }[];
      };
    }[];
  };
};

const QUERY = /* GraphQL */ `
  query Datasets($siteId: ID) {
    datasets(first: 100, siteId: $siteId) {
      edges {
        node {
          id
          name
          description
          site {
            code
          }
          updatedAt
          filter {
            subtypes
          }
          versions {
            id
            version
            itemCount
            digest
            frozenAt
          }
        }
      }
    }
  }
`;

export default async function DatasetsPage() {
  const me = (await getMe())!;
  const site = await currentSite(me);
  const { datasets } = await graphql<DatasetsQuery>(QUERY, { siteId: site?.id ?? null });
  const coordinatorSites = sitesWithRole(me, "COORDINATOR");
  return (
    <section className="stack">
      <h1>Datasets</h1>
      {datasets.edges.length === 0 ? (
        <p className="muted panel">
          No datasets yet.
          {coordinatorSites.length
            ? " Define one below from filters, check its balance, then freeze a version."
            : " A coordinator defines them."}
        </p>
      ) : (
        <table aria-label="Datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Site</th>
              <th>Classes</th>
              <th>Latest version</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {datasets.edges.map(({ node }) => {
              const latest = node.versions[0];
              return (
                <tr key={node.id}>
                  <td>
                    <Link href={`/datasets/${encodeURIComponent(node.id)}`}>{node.name}</Link>
                    {node.description ? <div className="muted">{node.description}</div> : null}
                  </td>
                  <td>{node.site.code}</td>
                  <td>{node.filter.subtypes.length}</td>
                  <td>
                    {latest ? (
                      <Link href={`/datasets/versions/${encodeURIComponent(latest.id)}`}>
                        v{latest.version} · {latest.itemCount} images · <code>{latest.digest.slice(0, 12)}</code>
                      </Link>
                    ) : (
                      <span className="muted">not frozen</span>
                    )}
                  </td>
                  <td>{formatDateTime(node.updatedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {coordinatorSites.length ? (
        <div className="panel">
          <h2>New dataset</h2>
          <CreateDatasetForm coordinatorSites={coordinatorSites} allSites={sitesOf(me)} />
        </div>
      ) : null}
    </section>
  );
}
