import Link from "next/link";
import { notFound } from "next/navigation";
import { ClassBalance, type DatasetCount } from "@/components/datasets/class-balance";
import { thumbnailUrl } from "@/lib/files";
import { formatDateTime } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { subtypeLabel } from "@/lib/labels";

type VersionQuery = {
  datasetVersion: {
    id: string;
    version: number;
    digest: string;
    unit: string;
    itemCount: number;
    seed: number;
    foldCount: number;
    frozenAt: string;
    note: string | null;
    classNames: string[];
    createdBy: { name: string };
    splitFractions: { train: number; validation: number; test: number };
    dataset: { id: string; name: string };
    counts: DatasetCount[];
    items: {
      edges: {
        node: {
          id: string;
          caseId: string;
          split: string;
          fold: number | null;
          subtype: string;
          site: { code: string };
          image: { laterality: string; view: string; displayUrl: string } | null;
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

const QUERY = /* GraphQL */ `
  query Version($id: ID!, $after: String, $split: DatasetSplit) {
    datasetVersion(id: $id) {
      id
      version
      digest
      unit
      itemCount
      seed
      foldCount
      frozenAt
      note
      classNames
      createdBy {
        name
      }
      splitFractions {
        train
        validation
        test
      }
      dataset {
        id
        name
      }
      counts {
        site {
          code
        }
        subtype
        split
        images
        cases
        patients
      }
      items(first: 50, after: $after, split: $split) {
        edges {
          node {
            id
            caseId
            split
            fold
            subtype
            site {
              code
            }
            image {
              laterality
              view
              displayUrl
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export default async function DatasetVersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ versionId: string }>;
  searchParams: Promise<{ after?: string; split?: string }>;
}) {
  const id = decodeURIComponent((await params).versionId);
  const search = await searchParams;
  const split = ["TRAIN", "VALIDATION", "TEST"].includes(search.split ?? "") ? search.split : null;
  let data: VersionQuery;
  try {
    data = await graphql<VersionQuery>(QUERY, { id, after: search.after ?? null, split });
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const v = data.datasetVersion;
  const base = `/datasets/versions/${encodeURIComponent(v.id)}`;
  return (
    <section className="stack">
      <p>
        <Link href={`/datasets/${encodeURIComponent(v.dataset.id)}`}>← {v.dataset.name}</Link>
      </p>
      <h1>
        {v.dataset.name} v{v.version} <span className="badge">frozen</span>
      </h1>
      <dl className="facts">
        <dt>Digest (sha256)</dt>
        <dd>
          <code data-testid="version-digest">{v.digest}</code>
        </dd>
        <dt>Items</dt>
        <dd>
          {v.itemCount} images, one item per {v.unit.toLowerCase()}
        </dd>
        <dt>Split</dt>
        <dd>
          train {v.splitFractions.train} · validation {v.splitFractions.validation} · test {v.splitFractions.test} ·{" "}
          {v.foldCount} folds · seed {v.seed}
        </dd>
        <dt>Frozen</dt>
        <dd>
          {formatDateTime(v.frozenAt)} by {v.createdBy.name}
        </dd>
        {v.note ? (
          <>
            <dt>Note</dt>
            <dd>{v.note}</dd>
          </>
        ) : null}
      </dl>
      <div className="panel">
        <h2>Class balance</h2>
        <ClassBalance counts={v.counts} classNames={v.classNames} label="Class balance" />
      </div>
      <div className="panel stack">
        <h2>Contents</h2>
        <nav className="row" aria-label="Split">
          {[null, "TRAIN", "VALIDATION", "TEST"].map((s) => (
            <Link
              key={s ?? "all"}
              href={s ? `${base}?split=${s}` : base}
              aria-current={split === s ? "page" : undefined}
            >
              {s ? s.toLowerCase() : "all"}
            </Link>
          ))}
        </nav>
        <table aria-label="Dataset items">
          <thead>
            <tr>
              <th>Image</th>
              <th>Case</th>
              <th>Site</th>
              <th>Class</th>
              <th>Split</th>
              <th>Fold</th>
            </tr>
          </thead>
          <tbody>
            {v.items.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  {node.image ? (
                    <span className="row">
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img
                        src={thumbnailUrl(node.image.displayUrl)}
                        alt={`${node.image.laterality}${node.image.view}`}
                        className="thumb"
                        loading="lazy"
                      />
                      {node.image.laterality}
                      {node.image.view}
                    </span>
                  ) : (
                    <span className="muted">not visible to you</span>
                  )}
                </td>
                <td>
                  {node.image ? (
                    <Link href={`/cases/${encodeURIComponent(node.caseId)}`}>case</Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{node.site.code}</td>
                <td>{subtypeLabel(node.subtype)}</td>
                <td>{node.split.toLowerCase()}</td>
                <td>{node.fold ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {v.items.pageInfo.hasNextPage && v.items.pageInfo.endCursor ? (
          <Link
            href={`${base}?${new URLSearchParams([...(split ? [["split", split]] : []), ["after", v.items.pageInfo.endCursor]])}`}
          >
            Next items
          </Link>
        ) : null}
      </div>
    </section>
  );
}
