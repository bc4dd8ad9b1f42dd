import Link from "next/link";
import { StatusBadge } from "@/components/common/status-badge";
import { CreateStudyForm } from "@/components/studies/study-forms";
import { formatDateTime } from "@/lib/format";
import { graphql } from "@/lib/graphql";
import { graphqlOr } from "@/lib/safe-graphql";
import { NotForYourRole } from "@/components/shell/not-for-your-role";
import { currentSite, getMe, hasRole, sitesWithRole } from "@/lib/viewer-context";

type Study = {
  id: string;
  name: string;
  status: string;
  createdAt: string;
  site: { code: string };
  readers: { progress: { isComplete: boolean } }[];
  modelVersion: { name: string; version: number } | null;
};

const QUERY = /* GraphQL */ `
  query Studies($siteId: ID) {
    readerStudies(first: 100, siteId: $siteId) {
      edges {
        node {
          id
          name
          status
          createdAt
          site {
            code
          }
          readers {
            progress {
              isComplete
            }
          }
          modelVersion {
            name
            version
          }
        }
      }
    }
  }
`;
const MODELS = /* GraphQL */ `
  query StudyModels {
    modelVersions(first: 50) {
      edges {
        node {
          id
          name
          version
          site {
            code
          }
        }
      }
    }
  }
`;

export default async function StudiesPage() {
  const me = (await getMe())!;
  if (!hasRole(me, "COORDINATOR"))
    return (
      <NotForYourRole
        what="Reader studies"
        forRoles="coordinators, who design studies and read their reports"
        go={hasRole(me, "READER") ? { href: "/reading", label: "Your reading" } : { href: "/", label: "Home" }}
      />
    );
  const site = await currentSite(me);
  const [{ readerStudies }, models] = await Promise.all([
    graphql<{ readerStudies: { edges: { node: Study }[] } }>(QUERY, { siteId: site?.id ?? null }),
    graphqlOr<{
      modelVersions: { edges: { node: { id: string; name: string; version: number; site: { code: string } } }[] };
    }>({ modelVersions: { edges: [] } }, MODELS),
  ]);
  return (
    <section className="stack">
      <h1>Reader studies</h1>
      {readerStudies.edges.length === 0 ? (
        <p className="muted panel">No reader studies yet.</p>
      ) : (
        <table aria-label="Reader studies">
          <thead>
            <tr>
              <th>Study</th>
              <th>Status</th>
              <th>Readers done</th>
              <th>AI</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {readerStudies.edges.map(({ node: s }) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/studies/${encodeURIComponent(s.id)}`}>{s.name}</Link>{" "}
                  <span className="muted">{s.site.code}</span>
                </td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>
                  {s.readers.filter((r) => r.progress.isComplete).length} / {s.readers.length}
                </td>
                <td>{s.modelVersion ? `${s.modelVersion.name} v${s.modelVersion.version}` : "—"}</td>
                <td>{formatDateTime(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {/* Only coordinators design studies: others see the list (their site's), not an empty form. */}
      {sitesWithRole(me, "COORDINATOR").length ? (
        <div className="panel">
          <h2>New reader study</h2>
          <CreateStudyForm
            sites={sitesWithRole(me, "COORDINATOR")}
            models={models.modelVersions.edges.map(({ node }) => ({
              id: node.id,
              label: `${node.name} v${node.version} (${node.site.code})`,
            }))}
          />
        </div>
      ) : null}
    </section>
  );
}
