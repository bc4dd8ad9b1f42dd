"use client";

import { useMemo, useState, useTransition } from "react";
import {
  createAnnotationAction,
  deleteAnnotationAction,
  updateAnnotationAction,
  type SavedAnnotation,
} from "@/app/(app)/cases/[caseId]/actions";
import { CaseViewer } from "@/components/viewer/case-viewer";
import { viewName, type ViewerImage, type ViewerRoi } from "@/components/viewer/viewer-types";
import { formatPercent } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";
import { roiFromApi, ROI_SHAPE_LABEL, type Roi, type RoiShape } from "@/viewer/roi-geometry";

export type CaseImage = ViewerImage & {
  annotations: SavedAnnotation[];
  prediction: { subtype: string; model: string; probability: number | null } | null;
};

const PURPOSES = ["LESION", "FINDING", "OTHER"] as const;
const PURPOSE_LABEL: Record<string, string> = { LESION: "Lesion outline", FINDING: "Finding", OTHER: "Other" };

/** The case's images in the viewer with their regions of interest (drawn, edited, deleted here) and the AI's heatmaps. */
export function CaseImaging({
  images,
  myUserId,
  canAnnotate,
}: {
  caseId: string;
  images: CaseImage[];
  myUserId: string;
  canAnnotate: boolean;
}) {
  const [annotations, setAnnotations] = useState(() =>
    images.flatMap((i) => i.annotations.map((a) => ({ ...a, imageId: i.id }))),
  );
  const [purpose, setPurpose] = useState<(typeof PURPOSES)[number]>("LESION");
  const [message, setMessage] = useState<{ tone: "status" | "alert"; text: string } | null>(null);
  const [isPending, startTransition] = useTransition();

  const rois = useMemo<ViewerRoi[]>(
    () =>
      annotations.flatMap((a) => {
        const roi = roiFromApi(a.shape, a.geometry);
        if (!roi) return [];
        return [
          {
            id: a.id,
            imageId: a.imageId,
            roi,
            label: `${PURPOSE_LABEL[a.purpose] ?? a.purpose} · ${a.author.name}`,
            tone: a.purpose === "LESION" ? "lesion" : "annotation",
            isEditable: canAnnotate && a.author.id === myUserId,
          },
        ];
      }),
    [annotations, canAnnotate, myUserId],
  );

  function create(imageId: string, roi: Roi) {
    startTransition(async () => {
      const result = await createAnnotationAction({ imageId, purpose, shape: roi.shape, geometry: roi.geometry });
      if (result.ok) {
        setAnnotations((list) => [...list, { ...result.value, imageId }]);
        setMessage({ tone: "status", text: `${ROI_SHAPE_LABEL[roi.shape as RoiShape]} saved.` });
      } else setMessage({ tone: "alert", text: result.error });
    });
  }

  function update(id: string, roi: Roi) {
    const before = annotations;
    setAnnotations((list) => list.map((a) => (a.id === id ? { ...a, shape: roi.shape, geometry: roi.geometry } : a)));
    startTransition(async () => {
      const result = await updateAnnotationAction({ annotationId: id, shape: roi.shape, geometry: roi.geometry });
      if (result.ok) setMessage({ tone: "status", text: "Region updated." });
      else {
        setAnnotations(before);
        setMessage({ tone: "alert", text: result.error });
      }
    });
  }

  function remove(id: string) {
    const before = annotations;
    setAnnotations((list) => list.filter((a) => a.id !== id));
    startTransition(async () => {
      const result = await deleteAnnotationAction(id);
      if (result.ok) setMessage({ tone: "status", text: "Region deleted." });
      else {
        setAnnotations(before);
        setMessage({ tone: "alert", text: result.error });
      }
    });
  }

  const predictions = images.filter((i) => i.prediction);
  return (
    <div className="stack">
      <CaseViewer
        images={images}
        rois={rois}
        canDrawRois={canAnnotate}
        onCreateRoi={create}
        onUpdateRoi={update}
        onDeleteRoi={remove}
        label="Case images"
      />
      {canAnnotate ? (
        <div className="row">
          <label className="inline-field">
            New regions are
            <select
              value={purpose}
              onChange={(e) => setPurpose(e.target.value as (typeof PURPOSES)[number])}
              aria-label="Purpose of new regions"
            >
              {PURPOSES.map((p) => (
                <option key={p} value={p}>
                  {PURPOSE_LABEL[p]}
                </option>
              ))}
            </select>
          </label>
          {isPending ? <span className="muted">Saving…</span> : null}
          {message ? (
            <span role={message.tone} className={message.tone === "alert" ? "error" : "muted"}>
              {message.text}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="panel">
        <h2>Regions of interest</h2>
        {annotations.length === 0 ? (
          <p className="muted">
            {canAnnotate
              ? "No regions yet: pick Point, Box, Ellipse or Polygon in the toolbar and draw on an image."
              : "No regions on these images."}
          </p>
        ) : (
          <table aria-label="Regions of interest">
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
              {annotations.map((a) => {
                const image = images.find((i) => i.id === a.imageId);
                return (
                  <tr key={a.id} data-testid="roi-row">
                    <td>{image ? viewName(image) : "?"}</td>
                    <td>{ROI_SHAPE_LABEL[a.shape as RoiShape] ?? a.shape}</td>
                    <td>{PURPOSE_LABEL[a.purpose] ?? a.purpose}</td>
                    <td>{a.author.name}</td>
                    <td>
                      {canAnnotate && a.author.id === myUserId ? (
                        <button
                          type="button"
                          onClick={() => remove(a.id)}
                          aria-label={`Delete ${a.shape.toLowerCase()} on ${image ? viewName(image) : "image"}`}
                        >
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
      {predictions.length ? (
        <div className="panel">
          <h2>AI prediction</h2>
          <ul className="plain-list">
            {predictions.map((i) => (
              <li key={i.id}>
                {viewName(i)}: <strong>{subtypeLabel(i.prediction!.subtype)}</strong>{" "}
                <span className="muted">
                  ({formatPercent(i.prediction!.probability)}, {i.prediction!.model})
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
