import { seriesColour } from "./chart-colours";

export type LineSeries = { name: string; points: { x: number; y: number }[]; dashed?: boolean };

const W = 520;
const H = 240;
const M = { left: 48, right: 12, top: 12, bottom: 32 };

function ticks(min: number, max: number, count = 5): number[] {
  if (max <= min || count < 2) return [min];
  const step = (max - min) / (count - 1);
  return Array.from({ length: count }, (_, i) => min + i * step);
}

/**
 * A small SVG line chart (training curves): each point shows its value on hover, and the same
 * numbers are in a table under the chart.
 */
export function LineChart({
  series,
  xLabel,
  yLabel,
  title,
  yMin,
  yMax,
}: {
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  title: string;
  yMin?: number;
  yMax?: number;
}) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="muted">{title}: no points yet.</p>;
  const xMin = Math.min(...all.map((p) => p.x));
  const xMax = Math.max(...all.map((p) => p.x), xMin + 1);
  const y0 = yMin ?? Math.min(0, ...all.map((p) => p.y));
  const y1 = yMax ?? Math.max(...all.map((p) => p.y), y0 + 1e-6);
  const sx = (x: number) => M.left + ((x - xMin) / (xMax - xMin)) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${series.map((s) => `${s.name} ${s.points.length ? `last ${s.points[s.points.length - 1]!.y.toFixed(3)}` : "empty"}`).join("; ")}`}
      >
        {ticks(y0, y1).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} stroke="#2a323b" />
            <text x={M.left - 6} y={sy(t) + 4} textAnchor="end" fontSize={10} fill="#9aa5b1">
              {t.toFixed(2)}
            </text>
          </g>
        ))}
        {ticks(xMin, xMax, Math.min(6, xs.length)).map((t) => (
          <text key={t} x={sx(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#9aa5b1">
            {Number.isInteger(t) ? t : t.toFixed(1)}
          </text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#9aa5b1">
          {xLabel}
        </text>
        <text
          x={12}
          y={(M.top + H - M.bottom) / 2}
          textAnchor="middle"
          fontSize={11}
          fill="#9aa5b1"
          transform={`rotate(-90 12 ${(M.top + H - M.bottom) / 2})`}
        >
          {yLabel}
        </text>
        {series.map((s, i) => (
          <g key={s.name}>
            <polyline
              fill="none"
              stroke={seriesColour(i)}
              strokeWidth={2}
              strokeDasharray={s.dashed ? "5 4" : undefined}
              points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ")}
            />
            {s.points.map((p, j) => (
              <circle key={j} cx={sx(p.x)} cy={sy(p.y)} r={3} fill={seriesColour(i)}>
                <title>{`${s.name}, ${xLabel} ${p.x}: ${p.y.toFixed(4)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        <strong>{title}</strong>
        {series.map((s, i) => (
          <span key={s.name} className="legend-item">
            <span className="legend-swatch" style={{ background: seriesColour(i) }} /> {s.name}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>Numbers</summary>
        <table aria-label={`${title} values`}>
          <thead>
            <tr>
              <th>{xLabel}</th>
              {series.map((s) => (
                <th key={s.name}>{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {xs.map((x) => (
              <tr key={x}>
                <td>{x}</td>
                {series.map((s) => {
                  const p = s.points.find((q) => q.x === x);
                  return <td key={s.name}>{p ? p.y.toFixed(4) : ""}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
