import { viewName, type ViewerImage } from "@/components/viewer/viewer-types";
import { formatPercent } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";

export type CasePrediction = { subtype: string; model: string; probability: number | null };

/** The AI's latest answer per image, when a model was run on the case. */
export function CasePredictions({ images }: { images: (ViewerImage & { prediction: CasePrediction | null })[] }) {
  const predicted = images.filter((i) => i.prediction);
  if (predicted.length === 0) return null;
  return (
    <div className="panel">
      <h2>AI prediction</h2>
      <ul className="plain-list">
        {predicted.map((i) => (
          <li key={i.id}>
            {viewName(i)}: <strong>{subtypeLabel(i.prediction!.subtype)}</strong>{" "}
            <span className="muted">
              ({formatPercent(i.prediction!.probability)}, {i.prediction!.model})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
