import { roiHandles, type Roi } from "@/viewer/roi-geometry";
import { imageToScreen, type Affine } from "@/viewer/view-transform";
import { labelPosition } from "./label-position";
import type { ViewerRoi } from "./viewer-types";

const TONE_COLOUR: Record<ViewerRoi["tone"], string> = {
  annotation: "#5ab0ff",
  lesion: "#58d68d",
  reader: "#ffb347",
  draft: "#ffffff",
};

function Shape({ roi, affine, colour, isSelected }: { roi: Roi; affine: Affine; colour: string; isSelected: boolean }) {
  const stroke = { stroke: colour, strokeWidth: isSelected ? 2.5 : 1.5, fill: isSelected ? `${colour}22` : "none" };
  switch (roi.shape) {
    case "POINT": {
      const [x, y] = imageToScreen(affine, roi.geometry.x, roi.geometry.y);
      return (
        <g {...stroke}>
          <circle cx={x} cy={y} r={6} />
          <path d={`M${x - 10} ${y}h6M${x + 4} ${y}h6M${x} ${y - 10}v6M${x} ${y + 4}v6`} />
        </g>
      );
    }
    case "BOX": {
      const g = roi.geometry;
      const [x0, y0] = imageToScreen(affine, g.x, g.y);
      const [x1, y1] = imageToScreen(affine, g.x + g.width, g.y + g.height);
      return (
        <rect
          x={Math.min(x0, x1)}
          y={Math.min(y0, y1)}
          width={Math.abs(x1 - x0)}
          height={Math.abs(y1 - y0)}
          {...stroke}
        />
      );
    }
    case "ELLIPSE": {
      const g = roi.geometry;
      const [cx, cy] = imageToScreen(affine, g.cx, g.cy);
      const degrees = ((g.rotationRad * 180) / Math.PI) * Math.sign(affine.scaleX);
      return (
        <ellipse
          cx={cx}
          cy={cy}
          rx={g.rx * affine.scale}
          ry={g.ry * affine.scale}
          transform={`rotate(${degrees} ${cx} ${cy})`}
          {...stroke}
        />
      );
    }
    case "POLYGON": {
      const points = roi.geometry.points.map(([x, y]) => imageToScreen(affine, x, y).join(",")).join(" ");
      return <polygon points={points} {...stroke} />;
    }
  }
}

/** The regions over one viewport, in screen coordinates (strokes keep their width at any zoom). */
export function RoiLayer({
  rois,
  affine,
  selectedRoiId,
  width,
  height,
}: {
  rois: ViewerRoi[];
  affine: Affine;
  selectedRoiId: string | null;
  width: number;
  height: number;
}) {
  return (
    <svg className="viewport-layer" width={width} height={height} aria-hidden="true" data-testid="roi-layer">
      {rois.map((r) => {
        const isSelected = r.id === selectedRoiId;
        const colour = TONE_COLOUR[r.tone];
        const [px, py] = imageToScreen(affine, ...firstPoint(r.roi));
        const at = r.label ? labelPosition(px, py, r.label, { width, height }) : null;
        return (
          <g key={r.id} data-roi-id={r.id} data-shape={r.roi.shape}>
            <Shape roi={r.roi} affine={affine} colour={colour} isSelected={isSelected} />
            {r.label && at ? (
              <text
                x={at.x}
                y={at.y}
                textAnchor={at.anchor}
                fill={colour}
                fontSize={12}
                style={{ paintOrder: "stroke", stroke: "#000", strokeWidth: 3 }}
              >
                {r.label}
              </text>
            ) : null}
            {isSelected && r.isEditable
              ? roiHandles(r.roi).map(([hx, hy], i) => {
                  const [x, y] = imageToScreen(affine, hx, hy);
                  return <rect key={i} x={x - 4} y={y - 4} width={8} height={8} fill="#fff" stroke={colour} />;
                })
              : null}
          </g>
        );
      })}
    </svg>
  );
}

function firstPoint(roi: Roi): [number, number] {
  const handles = roiHandles(roi);
  return handles.reduce((best, h) => (h[1] < best[1] ? h : best), handles[0]!) as [number, number];
}
