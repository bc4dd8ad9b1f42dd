import Link from "next/link";
import { notFound } from "next/navigation";
import { BREAST_NAME, FindingPanel, type Finding } from "@/components/pathology/finding-panel";
import { PathologyHistory, type PathologyEvent } from "@/components/pathology/pathology-history";
import { PathologyLabelForm } from "@/components/pathology-label-form";
import { CaseImaging, type CaseImage } from "@/components/case/case-imaging";
import { PacsResultsPanel, type PacsResult } from "@/components/case/pacs-results-panel";
import { fileUrl, pixelsUrl } from "@/lib/files";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { LABEL_STATUS_LABEL, SUBTYPE_LABEL, type LabelStatus, type Subtype } from "@/lib/labels";
import { graphqlOr } from "@/lib/safe-graphql";
import { getMe, userGlobalId } from "@/lib/viewer-context";

type Annotation = {
  id: string;
  purpose: string;
  shape: string;
  geometry: unknown;
  note: string | null;
  author: { id: string; name: string };
};
type Image = {
  id: string;
  laterality: "R" | "L";
  view: string;
  displayUrl: string;
  widthPx: number;
  heightPx: number;
  bitsStored: number;
  annotations: Annotation[];
};
type CaseQuery = {
  case: {
    id: string;
    accessionKey: string;
    patientPseudonym: string;
    examDate: string | null;
    labelStatus: LabelStatus;
    truth: Subtype | null;
    site: { id: string; code: string; name: string };
    images: Image[];
    findings: Finding[];
    breasts: { laterality: "R" | "L"; labelStatus: LabelStatus | "MIXED"; truth: Subtype | null }[];
  };
  pathologyHistory: PathologyEvent[];
};

const CASE_QUERY = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      id
      accessionKey
      patientPseudonym
      examDate
      labelStatus
      truth
      site {
        id
        code
        name
      }
      images {
        id
        laterality
        view
        displayUrl
        widthPx
        heightPx
        bitsStored
        annotations {
          id
          purpose
          shape
          geometry
          note
          author {
            id
            name
          }
        }
      }
      breasts {
        laterality
        labelStatus
        truth
      }
      findings {
        id
        key
        laterality
        labelStatus
        truth
        pathologyLabels {
          id
          subtype
          source
          specimenDate
          note
          author {
            id
            name
          }
          createdAt
          retractedAt
          isCurrent
        }
        consensus {
          subtype
          method
          rationale
          decidedBy {
            name
          }
        }
      }
    }
    pathologyHistory(caseId: $id) {
      kind
      at
      subtype
      detail
      actor {
        name
      }
    }
  }
`;

type Prediction = {
  predictedClass: Subtype;
  createdAt: string;
  modelVersion: { name: string; version: number } | null;
  probabilities: { subtype: Subtype; probability: number }[];
  saliencyMaps: { url: string; subtype: Subtype | null; classIndex: number }[];
};
const PREDICTIONS_QUERY = (ids: string[]) =>
  `query Predictions { ${ids.map((id, i) => `p${i}: imagePredictions(imageId: ${JSON.stringify(id)}) { predictedClass createdAt modelVersion { name version } probabilities { subtype probability } saliencyMaps { url subtype classIndex } }`).join(" ")} }`;

export default async function CasePage({ params }: { params: Promise<{ caseId: string }> }) {
  const { caseId } = await params;
  const id = decodeURIComponent(caseId);
  let data: CaseQuery;
  try {
    data = await graphql<CaseQuery>(CASE_QUERY, { id });
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const me = (await getMe())!;
  const c = data.case;
  const siteRoles = me.memberships.filter((m) => m.site.id === c.site.id).map((m) => m.role);
  const isAnnotator = siteRoles.includes("ANNOTATOR");
  const canAdjudicate = siteRoles.some((r) => r === "ANNOTATOR" || r === "COORDINATOR");
  const predictions = c.images.length
    ? await graphqlOr<Record<string, Prediction[]>>({}, PREDICTIONS_QUERY(c.images.map((i) => i.id)))
    : {};

  const images: CaseImage[] = c.images.map((image, index) => {
    const latest = predictions[`p${index}`]?.[0];
    const map = latest?.saliencyMaps.find((m) => m.subtype === latest.predictedClass) ?? latest?.saliencyMaps[0];
    return {
      id: image.id,
      laterality: image.laterality,
      view: image.view,
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      pixelsUrl: pixelsUrl(image.displayUrl),
      heatmapUrl: map ? fileUrl(map.url) : null,
      prediction: latest
        ? {
            subtype: latest.predictedClass,
            model: latest.modelVersion ? `${latest.modelVersion.name} v${latest.modelVersion.version}` : "model",
            probability: latest.probabilities.find((p) => p.subtype === latest.predictedClass)?.probability ?? null,
          }
        : null,
      annotations: image.annotations,
    };
  });
  // Results sent to the PACS the case came from (admins and coordinators of its site).
  const pacsResults = siteRoles.some((r) => r === "ADMIN" || r === "COORDINATOR")
    ? (
        await graphqlOr<{ casePacsResults: PacsResult[] }>(
          { casePacsResults: [] },
          `query Results($id: ID!) { casePacsResults(caseId: $id) { kind sopInstanceUid renderedPath } }`,
          { id },
        )
      ).casePacsResults
    : [];

  return (
    <section className="stack">
      <p>
        <Link href="/cases">← Cases</Link>
      </p>
      <h1>
        Case {c.accessionKey}{" "}
        <span className="muted">
          · patient {c.patientPseudonym} · {c.site.name}
        </span>{" "}
        <span className={`badge status-${c.labelStatus.toLowerCase()}`}>
          {c.truth ? `${SUBTYPE_LABEL[c.truth]} · ` : ""}
          {LABEL_STATUS_LABEL[c.labelStatus]}
        </span>
      </h1>
      <div className="case-layout">
        <CaseImaging caseId={c.id} images={images} myUserId={userGlobalId(me)} canAnnotate={isAnnotator} />
        <aside className="stack">
          <div className="stack">
            <h2>Pathology</h2>
            {c.breasts.length ? (
              <ul aria-label="Breasts" className="plain-list">
                {c.breasts.map((b) => (
                  <li key={b.laterality}>
                    {BREAST_NAME[b.laterality]}:{" "}
                    <strong>{b.truth ? SUBTYPE_LABEL[b.truth] : b.labelStatus === "MIXED" ? "mixed" : "—"}</strong>{" "}
                    <span className="muted">({b.labelStatus.toLowerCase()})</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {c.findings.length === 0 ? <p className="muted">No finding yet.</p> : null}
            {c.findings.map((finding) => (
              <FindingPanel
                key={finding.id}
                caseId={c.id}
                finding={finding}
                isAnnotator={isAnnotator}
                canAdjudicate={canAdjudicate}
              />
            ))}
          </div>
          {isAnnotator ? (
            <div className="panel">
              <h2>New finding</h2>
              <p className="muted">A lesion, or the statement that a breast is normal (label it NORMAL).</p>
              <PathologyLabelForm caseId={c.id} />
            </div>
          ) : null}
          {pacsResults.length ? <PacsResultsPanel results={pacsResults} /> : null}
          <div className="panel">
            <h2>History</h2>
            <PathologyHistory events={data.pathologyHistory} />
          </div>
        </aside>
      </div>
    </section>
  );
}
