import { graphql } from "@/lib/graphql";
import { subtypeLabel } from "@/lib/labels";

// "Model versions on this study": the closed study's cases and reads as a fixed benchmark for
// later model versions, beside the study's own model (whose figures above never change).

type Accuracy = { estimate: number; lower: number; upper: number; successes: number; total: number };
type Row = {
  name: string;
  version: number;
  isStudyModel: boolean;
  cases: number;
  ai: { accuracy: Accuracy } | null;
  phases: { phase: "UNAIDED" | "AIDED"; regions: { a: number; b: number; c: number; d: number } }[];
  versusStudyModel: {
    cases: number;
    mcnemar: { onlyThisCorrect: number; onlyStudyModelCorrect: number; pValue: number } | null;
    delong: { subtype: string; auc: number | null; studyModelAuc: number | null; pValue: number | null }[] | null;
  } | null;
};

const QUERY = /* GraphQL */ `
  query ModelVersionsOnStudy($studyId: ID!) {
    studyModelVersions(studyId: $studyId) {
      name
      version
      isStudyModel
      cases
      ai {
        accuracy {
          estimate
          lower
          upper
          successes
          total
        }
      }
      phases {
        phase
        regions {
          a
          b
          c
          d
        }
      }
      versusStudyModel {
        cases
        mcnemar {
          onlyThisCorrect
          onlyStudyModelCorrect
          pValue
        }
        delong {
          subtype
          auc
          studyModelAuc
          pValue
        }
      }
    }
  }
`;

const p3 = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3));

function versus(row: Row): string {
  const v = row.versusStudyModel;
  if (row.isStudyModel) return "the study's model";
  if (!v || v.cases === 0) return "—";
  const parts = [
    v.mcnemar
      ? `McNemar: only this right ${v.mcnemar.onlyThisCorrect}, only the study's model ${v.mcnemar.onlyStudyModelCorrect}, p ${p3(v.mcnemar.pValue)}`
      : null,
    ...(v.delong ?? []).map(
      (d) => `${subtypeLabel(d.subtype)} AUC ${p3(d.auc)} vs ${p3(d.studyModelAuc)} (DeLong p ${p3(d.pValue)})`,
    ),
  ];
  return `${v.cases} cases; ${parts.filter(Boolean).join("; ")}`;
}

export async function ModelVersionsOnStudy({ studyId }: { studyId: string }) {
  const { studyModelVersions: rows } = await graphql<{ studyModelVersions: Row[] }>(QUERY, { studyId });
  return (
    <div className="panel stack">
      <h2>Model versions on this study</h2>
      <p className="muted small">
        Later model versions scored on this study&apos;s cases (an inference run on the study); the reads and the
        figures above stay as they were. Regions A/B/C/D over every read of the phase, with that version as the AI.
      </p>
      <table aria-label="Model versions on this study" style={{ width: "auto" }}>
        <caption>
          Per model version: its accuracy on the study&apos;s cases, the regions, and McNemar and DeLong against the
          study&apos;s model
        </caption>
        <thead>
          <tr>
            <th>Model</th>
            <th>Cases</th>
            <th>Accuracy (95% CI)</th>
            <th>Regions A/B/C/D</th>
            <th>Against the study&apos;s model</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.name}-${r.version}`}>
              <td>
                {r.name} v{r.version}
              </td>
              <td>{r.cases}</td>
              <td>
                {r.ai
                  ? `${p3(r.ai.accuracy.estimate)} (${p3(r.ai.accuracy.lower)}–${p3(r.ai.accuracy.upper)}), ${r.ai.accuracy.successes}/${r.ai.accuracy.total}`
                  : "—"}
              </td>
              <td>
                {r.phases
                  .map((p) => `${p.phase.toLowerCase()}: ${p.regions.a}/${p.regions.b}/${p.regions.c}/${p.regions.d}`)
                  .join("; ")}
              </td>
              <td>{versus(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
