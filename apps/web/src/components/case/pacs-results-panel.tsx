import { fileUrl } from "@/lib/files";

export type PacsResult = { kind: string; sopInstanceUid: string; renderedPath: string | null };

/** Results the platform sent back to the PACS, as the PACS holds them: heatmaps shown, reports listed. */
export function PacsResultsPanel({ results }: { results: PacsResult[] }) {
  const reports = results.filter((r) => r.kind === "MEASUREMENT_REPORT").length;
  return (
    <div className="panel stack" aria-label="Results on the PACS">
      <h2>On the PACS</h2>
      {reports ? (
        <p className="muted">
          {reports} structured {reports === 1 ? "report" : "reports"} (regions, TID 1500)
        </p>
      ) : null}
      {results
        .filter((r) => r.renderedPath)
        .map((r) => (
          // eslint-disable-next-line @next/next/no-img-element -- a PNG rendered by the API from the PACS, per user
          <img
            key={r.sopInstanceUid}
            src={fileUrl(r.renderedPath!)}
            alt={`Heatmap ${r.sopInstanceUid} as stored on the PACS`}
            data-testid="pacs-heatmap"
            style={{ maxWidth: "100%" }}
          />
        ))}
    </div>
  );
}
