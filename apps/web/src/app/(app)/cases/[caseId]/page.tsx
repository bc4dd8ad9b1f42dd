import Link from "next/link";
import { notFound } from "next/navigation";
import { PathologyLabelForm } from "@/components/pathology-label-form";
import { fileUrl } from "@/lib/files";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { SUBTYPE_LABEL, type Subtype } from "@/lib/labels";

type Image = { id: string; laterality: "R" | "L"; view: "CC" | "MLO" | "OTHER"; displayUrl: string; widthPx: number; heightPx: number };
type Label = {
  id: string;
  subtype: Subtype;
  source: "BIOPSY" | "SURGERY";
  specimenDate: string | null;
  note: string | null;
  author: { name: string };
  createdAt: string;
  retractedAt: string | null;
};
type CaseQuery = {
  case: { id: string; accessionKey: string; patientPseudonym: string; examDate: string | null; site: { code: string; name: string }; images: Image[]; pathologyLabels: Label[] };
};

const CASE_QUERY = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      id
      accessionKey
      patientPseudonym
      examDate
      site { code name }
      images { id laterality view displayUrl widthPx heightPx }
      pathologyLabels { id subtype source specimenDate note author { name } createdAt retractedAt }
    }
  }
`;

// Standard hanging: right breast on the viewer's left, CC above MLO, chest walls back to back.
const HANGING: { laterality: Image["laterality"]; view: Image["view"] }[] = [
  { laterality: "R", view: "CC" },
  { laterality: "L", view: "CC" },
  { laterality: "R", view: "MLO" },
  { laterality: "L", view: "MLO" },
];

export default async function CasePage({ params }: { params: Promise<{ caseId: string }> }) {
  const { caseId } = await params;
  let data: CaseQuery;
  try {
    data = await graphql<CaseQuery>(CASE_QUERY, { id: decodeURIComponent(caseId) });
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT")) notFound();
    throw error;
  }
  const c = data.case;
  return (
    <section className="stack">
      <p>
        <Link href="/cases">← Cases</Link>
      </p>
      <h1>
        Case {c.accessionKey} <span className="muted">· patient {c.patientPseudonym} · {c.site.name}</span>
      </h1>
      <div className="case-layout">
        <div className="hanging" aria-label="Four-view hanging">
          {HANGING.map((slot) => {
            const image = c.images.find((i) => i.laterality === slot.laterality && i.view === slot.view);
            const name = `${slot.laterality}${slot.view}`;
            return (
              <figure key={name}>
                {image ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={fileUrl(image.displayUrl)} alt={`${name} view`} width={image.widthPx} height={image.heightPx} />
                ) : (
                  <div className="muted" style={{ padding: 40 }}>
                    no {name}
                  </div>
                )}
                <figcaption>{name}</figcaption>
              </figure>
            );
          })}
        </div>
        <aside className="stack">
          <div className="panel stack">
            <h2>Pathology</h2>
            {c.pathologyLabels.length === 0 ? (
              <p className="muted">No pathology label yet.</p>
            ) : (
              <ul aria-label="Pathology labels" className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {c.pathologyLabels.map((label) => (
                  <li key={label.id} data-testid="pathology-label">
                    <strong>{SUBTYPE_LABEL[label.subtype]}</strong>{" "}
                    <span className="muted">
                      {label.source.toLowerCase()}
                      {label.specimenDate ? `, ${label.specimenDate}` : ""} · {label.author.name}
                    </span>
                    {label.retractedAt ? <span className="badge">retracted</span> : null}
                    {label.note ? <div className="muted">{label.note}</div> : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="panel">
            <h2>Add a label</h2>
            <PathologyLabelForm caseId={c.id} />
          </div>
        </aside>
      </div>
    </section>
  );
}
