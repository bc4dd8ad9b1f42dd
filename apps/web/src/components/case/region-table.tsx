import { viewName, type ViewerImage } from "@/components/viewer/viewer-types";
import { ROI_SHAPE_LABEL, type RoiShape } from "@/viewer/roi-geometry";
import type { PlacedAnnotation } from "./use-region-history";

export const PURPOSES = ["LESION", "FINDING", "OTHER"] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PURPOSE_LABEL: Record<string, string> = { LESION: "Lesion outline", FINDING: "Finding", OTHER: "Other" };

/** The case's regions: view, shape, purpose (editable by its author), author, delete (undoable). */
export function RegionTable(props: {
  annotations: PlacedAnnotation[];
  images: ViewerImage[];
  canEdit: (a: PlacedAnnotation) => boolean;
  canAnnotate: boolean;
  onPurpose: (id: string, purpose: Purpose) => void;
  onDelete: (id: string) => void;
}) {
  return (
    <div className="panel">
      <h2>Regions of interest</h2>
      {props.annotations.length === 0 ? (
        <p className="muted">
          {props.canAnnotate
            ? "No regions yet: pick what the region is for and a shape (Point, Box, Ellipse, Polygon) in the toolbar, then draw on an image."
            : "No regions on these images."}
        </p>
      ) : (
        <table aria-label="Regions of interest">
          <caption className="visually-hidden">The case&apos;s regions of interest</caption>
          <thead>
            <tr>
              <th>View</th>
              <th>Shape</th>
              <th>Purpose</th>
              <th>Author</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.annotations.map((a) => {
              const image = props.images.find((i) => i.id === a.imageId);
              const where = `${a.shape.toLowerCase()} on ${image ? viewName(image) : "image"}`;
              return (
                <tr key={a.id} data-testid="roi-row">
                  <td>{image ? viewName(image) : "?"}</td>
                  <td>{ROI_SHAPE_LABEL[a.shape as RoiShape] ?? a.shape}</td>
                  <td>
                    {props.canEdit(a) ? (
                      <select
                        value={a.purpose}
                        onChange={(e) => props.onPurpose(a.id, e.target.value as Purpose)}
                        aria-label={`Purpose of the ${where}`}
                      >
                        {PURPOSES.map((p) => (
                          <option key={p} value={p}>
                            {PURPOSE_LABEL[p]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      (PURPOSE_LABEL[a.purpose] ?? a.purpose)
                    )}
                  </td>
                  <td>{a.author.name}</td>
                  <td>
                    {props.canEdit(a) ? (
                      <button type="button" onClick={() => props.onDelete(a.id)} aria-label={`Delete ${where}`}>
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
