import Link from "next/link";
import { fileUrl } from "@/lib/files";
import { graphql } from "@/lib/graphql";
import { SUBTYPE_LABEL, type Subtype } from "@/lib/labels";

type CaseRow = {
  id: string;
  accessionKey: string;
  patientPseudonym: string;
  site: { code: string };
  images: { id: string; laterality: "R" | "L"; view: string; displayUrl: string }[];
  pathologyLabels: { subtype: Subtype; retractedAt: string | null }[];
};
type CasesQuery = {
  cases: { edges: { node: CaseRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

const CASES_QUERY = /* GraphQL */ `
  query Cases($first: Int!, $after: String) {
    cases(first: $first, after: $after) {
      edges {
        node {
          id
          accessionKey
          patientPseudonym
          site { code }
          images { id laterality view displayUrl }
          pathologyLabels { subtype retractedAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const HANGING_ORDER = ["R-CC", "L-CC", "R-MLO", "L-MLO"];

export default async function CasesPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const { after } = await searchParams;
  const { cases } = await graphql<CasesQuery>(CASES_QUERY, { first: 25, after: after ?? null });
  return (
    <section>
      <h1>Cases</h1>
      {cases.edges.length === 0 ? (
        <p className="muted">No cases yet. Import images to start.</p>
      ) : (
        <table aria-label="Cases">
          <thead>
            <tr>
              <th>Case</th>
              <th>Patient</th>
              <th>Site</th>
              <th>Views</th>
              <th>Pathology</th>
            </tr>
          </thead>
          <tbody>
            {cases.edges.map(({ node }) => {
              const current = node.pathologyLabels.filter((l) => !l.retractedAt);
              const subtypes = [...new Set(current.map((l) => l.subtype))];
              const views = [...node.images].sort(
                (a, b) => HANGING_ORDER.indexOf(`${a.laterality}-${a.view}`) - HANGING_ORDER.indexOf(`${b.laterality}-${b.view}`),
              );
              return (
                <tr key={node.id}>
                  <td>
                    <Link href={`/cases/${encodeURIComponent(node.id)}`}>{node.accessionKey}</Link>
                  </td>
                  <td>{node.patientPseudonym}</td>
                  <td>{node.site.code}</td>
                  <td>
                    <div className="thumbs">
                      {views.map((image) => (
                        // eslint-disable-next-line @next/next/no-img-element
                        <img key={image.id} src={fileUrl(image.displayUrl)} alt={`${image.laterality}${image.view}`} loading="lazy" />
                      ))}
                    </div>
                  </td>
                  <td>
                    {subtypes.length === 0 ? (
                      <span className="badge">unlabelled</span>
                    ) : subtypes.length > 1 ? (
                      <span className="badge">conflict</span>
                    ) : (
                      <span className="badge">{SUBTYPE_LABEL[subtypes[0]!]}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="pager">
        {after ? <Link href="/cases">First page</Link> : null}
        {cases.pageInfo.hasNextPage && cases.pageInfo.endCursor ? (
          <Link href={`/cases?after=${encodeURIComponent(cases.pageInfo.endCursor)}`}>Next page</Link>
        ) : null}
      </div>
    </section>
  );
}
