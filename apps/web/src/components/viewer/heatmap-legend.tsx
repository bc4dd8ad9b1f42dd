import { heatGradientCss } from "@/viewer/heatmap-colormap";

/** The heat scale: what the colours of the Grad-CAM overlay mean. */
export function HeatmapLegend() {
  return (
    <figure className="heat-legend" aria-label="Heatmap colour scale: blue low, red high model attention">
      <div className="heat-legend-bar" style={{ background: heatGradientCss() }} />
      <figcaption>
        <span>low</span>
        <span>Grad-CAM attention</span>
        <span>high</span>
      </figcaption>
    </figure>
  );
}
