import Link from "next/link";
import { notFound } from "next/navigation";
import { ClassBalance, type DatasetCount } from "@/components/datasets/class-balance";
import { FreezeForm } from "@/components/datasets/freeze-form";
import { formatDateTime } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { subtypeLabel } from "@/lib/labels";
import { getMe } from "@/lib/viewer-context";

type DatasetQuery = {
  dataset: {
    id: string;
    name: string;
    description: string | null;
    site: { id: string; code: string };
    createdBy: { name: string };
    filter: {
      unit: "FINDING" | "BREAST" | "IMAGE";
      siteIds: string[];
      subtypes: string[];
      views: string[] | null;
      lateralities: string[] | null;
      requireConsensus: boolean;
    };
    versions: {
      id: string;
      version: number;
      itemCount: number;
      digest: string;
      frozenAt: string;
      createdBy: { name: string };
      note: string | null;
    }[];
  };
  previewDataset: {
    itemCount: number;
    unitCount: number;
    caseCount: number;
    patientCount: number;
    digest: string;
    classNames: string[];
    counts: DatasetCount[];
    excluded: {
      unlabelled: number;
      conflict: number;
      mixed: number;
      otherClass: number;
      withoutConsensus: number;
      unknownBreast: number;
      otherFindingInBreast: number;
    };
  };
};

const QUERY = /* GraphQL */ `
  query Dataset($id: ID!) {
    dataset(id: $id) {
      id
      name
      description
      site {
        id
        code
      }
      createdBy {
        name
      }
      filter {
        unit
        siteIds
        subtypes
        views
        lateralities
        requireConsensus
      }
      versions {
        id
        version
        itemCount
        digest
        frozenAt
        createdBy {
          name
        }
        note
      }
    }
    previewDataset(datasetId: $id) {
      itemCount
      unitCount
      caseCount
      patientCount
      digest
      classNames
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
      excluded {
        unlabelled
        conflict
        mixed
        otherClass
        withoutConsensus
        unknownBreast
        otherFindingInBreast
      }
    }
  }
`;

const UNIT_NAME = { FINDING: "finding", BREAST: "breast", IMAGE: "image" } as const;

/** The units left out and why, in words (only the reasons that apply). */
function leftOut(e: DatasetQuery["previewDataset"]["excluded"], unit: string) {
  const parts = [
    [e.unlabelled, "unlabelled"],
    [e.conflict, "in conflict"],
    [e.mixed, "with findings of two classes"],
    [e.otherClass, "of other classes"],
    [e.withoutConsensus, "without consensus"],
    [e.unknownBreast, "on no breast yet"],
    [e.otherFindingInBreast, "sharing a breast with a finding of another class"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, why]) => `${n} ${why}`);
  return said.length ? `Left out (${unit}s): ${said.join(", ")}.` : `No ${unit} left out.`;
}

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const id = decodeURIComponent((await params).datasetId);
  let data: DatasetQuery;
  try {
    data = await graphql<DatasetQuery>(QUERY, { id });
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const me = (await getMe())!;
  const { dataset: d, previewDataset: p } = data;
  const canFreeze = me.memberships.some((m) => m.site.id === d.site.id && m.role === "COORDINATOR");
  const latest = d.versions[0];
  const isUnchanged = latest && latest.digest === p.digest;
  return (
    <section className="stack">
      <p>
        <Link href="/datasets">← Datasets</Link>
      </p>
      <h1>{d.name}</h1>
      <p className="muted">
        {d.description ? `${d.description} · ` : ""}site {d.site.code} · by {d.createdBy.name} · one item per{" "}
        {UNIT_NAME[d.filter.unit]} · classes {d.filter.subtypes.map(subtypeLabel).join(", ")}
        {d.filter.views ? ` · views ${d.filter.views.join(", ")}` : ""}
        {d.filter.lateralities ? ` · sides ${d.filter.lateralities.join(", ")}` : ""}
        {d.filter.requireConsensus ? " · adjudicated only" : ""}
      </p>
      <div className="panel stack">
        <h2>Before freezing: class balance and split per site</h2>
        <p>
          <strong>{p.unitCount}</strong> {UNIT_NAME[d.filter.unit]}s: <strong>{p.itemCount}</strong> images of{" "}
          <strong>{p.caseCount}</strong> cases and <strong>{p.patientCount}</strong> patients · digest{" "}
          <code data-testid="preview-digest">{p.digest.slice(0, 16)}</code>
          {isUnchanged ? <span className="muted"> (same as v{latest.version})</span> : null}
        </p>
        <ClassBalance counts={p.counts} classNames={p.classNames} label="Class balance preview" />
        <p className="muted">{leftOut(p.excluded, UNIT_NAME[d.filter.unit])}</p>
        {canFreeze ? (
          <FreezeForm datasetId={d.id} />
        ) : (
          <p className="muted">Coordinators of {d.site.code} freeze versions.</p>
        )}
      </div>
      <div className="panel">
        <h2>Frozen versions</h2>
        {d.versions.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table aria-label="Frozen versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>Images</th>
                <th>Digest</th>
                <th>Frozen</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {d.versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    <Link href={`/datasets/versions/${encodeURIComponent(v.id)}`}>v{v.version}</Link>
                  </td>
                  <td>{v.itemCount}</td>
                  <td>
                    <code>{v.digest.slice(0, 16)}</code>
                  </td>
                  <td>
                    {formatDateTime(v.frozenAt)} · {v.createdBy.name}
                  </td>
                  <td>{v.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
