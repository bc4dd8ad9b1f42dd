import { subtypeLabel } from "@/lib/labels";

export type DatasetCount = {
  site: { code: string };
  subtype: string;
  split: "TRAIN" | "VALIDATION" | "TEST";
  images: number;
  cases: number | null;
  patients: number | null;
};

const SPLITS = ["TRAIN", "VALIDATION", "TEST"] as const;

/**
 * Images per site, class and split (cases in brackets), with a bar per class so an imbalance
 * is seen at a glance; the numbers are in the table itself.
 */
export function ClassBalance({
  counts,
  classNames,
  label,
}: {
  counts: DatasetCount[];
  classNames: string[];
  label: string;
}) {
  const sites = [...new Set(counts.map((c) => c.site.code))].sort();
  if (counts.length === 0) return <p className="muted">No images match: nothing to freeze.</p>;
  const total = (pred: (c: DatasetCount) => boolean) => counts.filter(pred).reduce((n, c) => n + c.images, 0);
  const max = Math.max(1, ...classNames.map((k) => total((c) => c.subtype === k)));
  const cell = (site: string | null, subtype: string, split: string | null) => {
    const rows = counts.filter(
      (c) => (site === null || c.site.code === site) && c.subtype === subtype && (split === null || c.split === split),
    );
    const images = rows.reduce((n, c) => n + c.images, 0);
    const cases = rows.every((r) => r.cases !== null) ? rows.reduce((n, c) => n + (c.cases ?? 0), 0) : null;
    return (
      <>
        {images}
        {cases !== null ? <span className="muted"> ({cases})</span> : null}
      </>
    );
  };
  return (
    <table aria-label={label} className="balance">
      <caption className="muted">Images per split; cases in brackets.</caption>
      <thead>
        <tr>
          <th>Site</th>
          <th>Class</th>
          {SPLITS.map((s) => (
            <th key={s}>{s.toLowerCase()}</th>
          ))}
          <th>All</th>
          <th aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {[...sites, null].flatMap((site) =>
          classNames.map((k, i) => {
            const all = total((c) => (site === null || c.site.code === site) && c.subtype === k);
            return (
              <tr key={`${site ?? "all"}-${k}`} className={site === null ? "total-row" : undefined}>
                <td>{i === 0 ? (site ?? "All sites") : ""}</td>
                <td>{subtypeLabel(k)}</td>
                {SPLITS.map((s) => (
                  <td key={s}>{cell(site, k, s)}</td>
                ))}
                <td>{cell(site, k, null)}</td>
                <td aria-hidden="true" style={{ width: 120 }}>
                  {site === null ? <div className="bar" style={{ width: `${(all / max) * 100}%` }} /> : null}
                </td>
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}
