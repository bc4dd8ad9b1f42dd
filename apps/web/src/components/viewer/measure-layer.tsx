import { measurementText } from "@/viewer/measure";
import { imageToScreen, type Affine } from "@/viewer/view-transform";
import { labelPosition } from "./label-position";
import type { Measurement } from "./viewer-types";

const COLOUR = "#f7e36b";
const textStyle = { paintOrder: "stroke", stroke: "#000", strokeWidth: 3 } as const;

/** Lengths and areas over one viewport, labelled in mm / mm² from the image's pixel spacing. */
export function MeasureLayer({
  measurements,
  affine,
  spacing,
  width,
  height,
}: {
  measurements: Measurement[];
  affine: Affine;
  spacing: { row: number; col: number } | null | undefined;
  width: number;
  height: number;
}) {
  return (
    <svg className="viewport-layer" width={width} height={height} aria-hidden="true" data-testid="measure-layer">
      {measurements.map((m) => {
        const text = measurementText(m, spacing);
        if (m.kind === "length") {
          const [x0, y0] = imageToScreen(affine, ...m.from);
          const [x1, y1] = imageToScreen(affine, ...m.to);
          const at = labelPosition(x1, y1, text, { width, height });
          return (
            <g key={m.id} data-measurement={m.kind}>
              <line x1={x0} y1={y0} x2={x1} y2={y1} stroke={COLOUR} strokeWidth={1.5} />
              <text x={at.x} y={at.y} textAnchor={at.anchor} fill={COLOUR} fontSize={12} style={textStyle}>
                {text}
              </text>
            </g>
          );
        }
        const [cx, cy] = imageToScreen(affine, m.cx, m.cy);
        const at = labelPosition(cx + m.rx * affine.scale, cy - m.ry * affine.scale, text, { width, height });
        return (
          <g key={m.id} data-measurement={m.kind}>
            <ellipse
              cx={cx}
              cy={cy}
              rx={m.rx * affine.scale}
              ry={m.ry * affine.scale}
              stroke={COLOUR}
              strokeWidth={1.5}
              fill="none"
            />
            <text x={at.x} y={at.y} textAnchor={at.anchor} fill={COLOUR} fontSize={12} style={textStyle}>
              {text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
