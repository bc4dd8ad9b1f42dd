import { heatGradientCss } from "@/viewer/heatmap-colormap";

/** The heat scale: what the colours of the Grad-CAM overlay mean, and how the map was made (method, layer, score, class). */
export function HeatmapLegend({ description }: { description?: string | null }) {
  return (
    <figure className="heat-legend" aria-label="Heatmap colour scale: blue low, red high model attention">
      <div className="heat-legend-bar" style={{ background: heatGradientCss() }} />
      <figcaption>
        <span>low</span>
        <span>Grad-CAM attention</span>
        <span>high</span>
      </figcaption>
      {description ? (
        <figcaption className="muted" data-testid="heatmap-description">
          {description}
        </figcaption>
      ) : null}
    </figure>
  );
}
