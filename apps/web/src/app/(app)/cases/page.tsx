import Link from "next/link";
import { SelectField, SUBTYPE_OPTIONS } from "@/components/common/form-fields";
import { thumbnailUrl } from "@/lib/files";
import { graphql } from "@/lib/graphql";
import {
  LABEL_STATUS_LABEL,
  LABEL_STATUSES,
  SUBTYPE_LABEL,
  SUBTYPES,
  type LabelStatus,
  type Subtype,
} from "@/lib/labels";
import { graphqlOr } from "@/lib/safe-graphql";
import { currentSite, getMe, sitesOf } from "@/lib/viewer-context";

const ANY = { value: "", label: "Any" };

type CaseRow = {
  id: string;
  accessionKey: string;
  patientPseudonym: string;
  labelStatus: LabelStatus;
  truth: Subtype | null;
  site: { code: string };
  images: { id: string; laterality: "R" | "L"; view: string; displayUrl: string }[];
};
type CasesQuery = {
  cases: {
    edges: { node: CaseRow }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null };
  };
};

const CASES_QUERY = /* GraphQL */ `
  query Cases($first: Int, $after: String, $last: Int, $before: String, $filter: CaseFilter) {
    cases(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges {
        node {
          id
          accessionKey
          patientPseudonym
          labelStatus
          truth
          site {
            code
          }
          images {
            id
            laterality
            view
            displayUrl
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
        startCursor
      }
    }
  }
`;

const OPTIONS_QUERY = /* GraphQL */ `
  query CaseFilterOptions {
    datasets(first: 50) {
      edges {
        node {
          id
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
const STUDIES_QUERY = /* GraphQL */ `
  query CaseStudyOptions {
    readerStudies(first: 50) {
      edges {
        node {
          id
          name
          status
        }
      }
    }
  }
`;

type Search = {
  site?: string;
  subtype?: string;
  status?: string;
  dataset?: string;
  study?: string;
  after?: string;
  before?: string;
};
const PAGE = 25;

export default async function CasesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const me = (await getMe())!;
  const sites = sitesOf(me);
  const chosen = await currentSite(me);
  // "all" in the URL overrides the switcher; otherwise the switcher's site.
  const siteId = search.site === "all" ? null : (sites.find((s) => s.id === search.site)?.id ?? chosen?.id ?? null);
  const filter = {
    siteId,
    subtype: SUBTYPES.includes(search.subtype as Subtype) ? search.subtype : null,
    labelStatus: LABEL_STATUSES.includes(search.status as LabelStatus) ? search.status : null,
    datasetVersionId: search.dataset || null,
    studyId: search.study || null,
  };
  const paging = search.before ? { last: PAGE, before: search.before } : { first: PAGE, after: search.after ?? null };
  const [{ cases }, options, studies] = await Promise.all([
    graphql<CasesQuery>(CASES_QUERY, { ...paging, filter }),
    graphqlOr<{
      datasets: { edges: { node: { id: string; name: string; versions: { id: string; version: number }[] } }[] };
    }>({ datasets: { edges: [] } }, OPTIONS_QUERY),
    graphqlOr<{ readerStudies: { edges: { node: { id: string; name: string; status: string } }[] } }>(
      { readerStudies: { edges: [] } },
      STUDIES_QUERY,
    ),
  ]);
  const keep = new URLSearchParams(
    Object.entries({
      site: search.site,
      subtype: search.subtype,
      status: search.status,
      dataset: search.dataset,
      study: search.study,
    }).filter((e): e is [string, string] => Boolean(e[1])),
  );
  const pageLink = (key: "after" | "before", cursor: string) =>
    `/cases?${new URLSearchParams([...keep, [key, cursor]])}`;
  const isFiltered = Boolean(filter.subtype || filter.labelStatus || filter.datasetVersionId || filter.studyId);

  return (
    <section className="stack">
      <h1>Cases</h1>
      <form className="row panel filters" method="get" aria-label="Case filters">
        <SelectField
          id="f-site"
          label="Site"
          name="site"
          defaultValue={search.site === "all" ? "all" : (siteId ?? "all")}
          options={[{ value: "all", label: "All my sites" }, ...sites.map((s) => ({ value: s.id, label: s.code }))]}
        />
        <SelectField
          id="f-subtype"
          label="Subtype"
          name="subtype"
          defaultValue={filter.subtype ?? ""}
          options={[ANY, ...SUBTYPE_OPTIONS]}
        />
        <SelectField
          id="f-status"
          label="Label status"
          name="status"
          defaultValue={filter.labelStatus ?? ""}
          options={[ANY, ...LABEL_STATUSES.map((s) => ({ value: s, label: LABEL_STATUS_LABEL[s] }))]}
        />
        <SelectField
          id="f-dataset"
          label="Dataset version"
          name="dataset"
          defaultValue={filter.datasetVersionId ?? ""}
          options={[
            ANY,
            ...options.datasets.edges.flatMap(({ node }) =>
              node.versions.map((v) => ({ value: v.id, label: `${node.name} v${v.version}` })),
            ),
          ]}
        />
        <SelectField
          id="f-study"
          label="Reader study"
          name="study"
          defaultValue={filter.studyId ?? ""}
          options={[
            ANY,
            ...studies.readerStudies.edges.map(({ node }) => ({
              value: node.id,
              label: `${node.name} (${node.status.toLowerCase()})`,
            })),
          ]}
        />
        <button type="submit" className="primary">
          Apply
        </button>
        {isFiltered ? <Link href="/cases">Clear filters</Link> : null}
      </form>
      {cases.edges.length === 0 ? (
        <p className="muted panel">
          {isFiltered
            ? "No case matches these filters."
            : "No cases yet. Import images to start (npm run import, or POST /imports)."}
        </p>
      ) : (
        <table aria-label="Cases">
          <thead>
            <tr>
              <th>Case</th>
              <th>Patient</th>
              <th>Site</th>
              <th>Views (RCC LCC RMLO LMLO)</th>
              <th>Pathology</th>
            </tr>
          </thead>
          <tbody>
            {cases.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link href={`/cases/${encodeURIComponent(node.id)}`}>{node.accessionKey}</Link>
                </td>
                <td>{node.patientPseudonym}</td>
                <td>{node.site.code}</td>
                <td>
                  <div className="thumbs">
                    {(["R-CC", "L-CC", "R-MLO", "L-MLO"] as const).map((slot) => {
                      const image = node.images.find((i) => `${i.laterality}-${i.view}` === slot);
                      const name = slot.replace("-", "");
                      return image ? (
                        // eslint-disable-next-line @next/next/no-img-element
                        <img key={slot} src={thumbnailUrl(image.displayUrl)} alt={name} loading="lazy" />
                      ) : (
                        <span key={slot} className="thumb-missing" title={`no ${name}`} />
                      );
                    })}
                  </div>
                </td>
                <td>
                  <span className={`badge status-${node.labelStatus.toLowerCase()}`}>
                    {node.truth ? SUBTYPE_LABEL[node.truth] : LABEL_STATUS_LABEL[node.labelStatus]}
                  </span>
                  {node.labelStatus === "ADJUDICATED" ? <span className="muted"> adjudicated</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages">
        {search.after || (search.before && cases.pageInfo.hasPreviousPage) ? (
          cases.pageInfo.startCursor ? (
            <Link href={pageLink("before", cases.pageInfo.startCursor)}>Previous page</Link>
          ) : null
        ) : null}
        {(search.before || cases.pageInfo.hasNextPage) && cases.pageInfo.endCursor ? (
          <Link href={pageLink("after", cases.pageInfo.endCursor)}>Next page</Link>
        ) : null}
      </nav>
    </section>
  );
}
