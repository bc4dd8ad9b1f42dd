import { RegionExplorer, REGION_MEANING } from "@/components/studies/region-explorer";
import type { Report } from "@/lib/study-report";
import { phaseName } from "./report-format";

/** Who was right per case (A/B/C/D) per phase, and the explorer of the reads in each region. */
export function RegionsSection({ report }: { report: Report }) {
  return (
    <div className="panel stack">
      <h2>Who was right: regions A/B/C/D</h2>
      <div className="charts-row">
        {report.phases.map((p) => (
          <div key={p.phase} className="stack">
            <h3>{phaseName(p.phase)}</h3>
            <ul className="region-grid plain-list" aria-label={`Regions ${phaseName(p.phase)}`}>
              {(["a", "b", "c", "d"] as const).map((r) => (
                <li key={r} className="region-cell" data-testid={`region-${p.phase}-${r.toUpperCase()}`}>
                  <strong>
                    {r.toUpperCase()}: {p.regions[r]}
                  </strong>
                  <span className="muted small">{REGION_MEANING[r.toUpperCase()]}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <RegionExplorer cases={report.cases} readers={report.readers.map((r) => ({ label: r.label, name: r.name }))} />
    </div>
  );
}
