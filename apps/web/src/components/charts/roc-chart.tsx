import { seriesColour } from "./chart-colours";

export type RocCurve = { name: string; auc: number | null; points: { fpr: number; tpr: number }[]; dashed?: boolean };

const S = 300;
const M = 36;

/** ROC curves in the unit square with the chance diagonal; AUC in the legend, points on hover. */
export function RocChart({ curves, title }: { curves: RocCurve[]; title: string }) {
  if (curves.length === 0) return <p className="muted">{title}: no confidence scores to draw ROC curves from.</p>;
  const x = (fpr: number) => M + fpr * (S - 2 * M);
  const y = (tpr: number) => S - M - tpr * (S - 2 * M);
  return (
    <figure className="chart roc">
      <svg
        viewBox={`0 0 ${S} ${S}`}
        role="img"
        aria-label={`${title}: ${curves.map((c) => `${c.name} AUC ${c.auc?.toFixed(3) ?? "n/a"}`).join("; ")}`}
      >
        <rect x={M} y={M} width={S - 2 * M} height={S - 2 * M} fill="none" stroke="#2a323b" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#555" strokeDasharray="4 4" />
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <text x={x(t)} y={S - M + 14} textAnchor="middle" fontSize={10} fill="#9aa5b1">
              {t}
            </text>
            <text x={M - 6} y={y(t) + 4} textAnchor="end" fontSize={10} fill="#9aa5b1">
              {t}
            </text>
          </g>
        ))}
        <text x={S / 2} y={S - 6} textAnchor="middle" fontSize={11} fill="#9aa5b1">
          1 − specificity
        </text>
        <text x={10} y={S / 2} textAnchor="middle" fontSize={11} fill="#9aa5b1" transform={`rotate(-90 10 ${S / 2})`}>
          sensitivity
        </text>
        {curves.map((c, i) => {
          const points = [...c.points].sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
          return (
            <g key={c.name}>
              <polyline
                fill="none"
                stroke={seriesColour(i)}
                strokeWidth={2}
                strokeDasharray={c.dashed ? "5 4" : undefined}
                points={points.map((p) => `${x(p.fpr)},${y(p.tpr)}`).join(" ")}
              />
              {points.map((p, j) => (
                <circle key={j} cx={x(p.fpr)} cy={y(p.tpr)} r={2.5} fill={seriesColour(i)}>
                  <title>{`${c.name}: sensitivity ${p.tpr.toFixed(3)}, specificity ${(1 - p.fpr).toFixed(3)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <strong>{title}</strong>
        {curves.map((c, i) => (
          <span key={c.name} className="legend-item">
            <span className="legend-swatch" style={{ background: seriesColour(i) }} /> {c.name} (AUC{" "}
            {c.auc?.toFixed(3) ?? "n/a"})
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
