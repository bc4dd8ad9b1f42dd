"use client";

import { useMemo, useState } from "react";
import type { SavedAnnotation } from "@/app/(app)/cases/[caseId]/actions";
import { CaseViewer } from "@/components/viewer/case-viewer";
import type { ViewerImage, ViewerRoi } from "@/components/viewer/viewer-types";
import type { HangingProtocol } from "@/lib/hanging";
import { roiFromApi } from "@/viewer/roi-geometry";
import { CasePredictions, type CasePrediction } from "./case-predictions";
import { PURPOSE_LABEL, PURPOSES, RegionTable, type Purpose } from "./region-table";
import { useRegionHistory } from "./use-region-history";

export type CaseImage = ViewerImage & { annotations: SavedAnnotation[]; prediction: CasePrediction | null };

/** What a new region is for, chosen before drawing (a point cannot be a lesion outline: it is a finding). */
const purposeOf = (purpose: Purpose, shape: string) =>
  purpose === "LESION" && shape === "POINT" ? "FINDING" : purpose;

/**
 * The case's images in the viewer with their regions of interest: drawn with the purpose chosen in
 * the toolbar, edited, deleted and undone (Ctrl+Z) here, saved at once; and the AI's heatmaps.
 */
export function CaseImaging(props: {
  images: CaseImage[];
  myUserId: string;
  canAnnotate: boolean;
  hangingProtocol: HangingProtocol;
}) {
  const { images, canAnnotate, myUserId } = props;
  const regions = useRegionHistory(images.flatMap((i) => i.annotations.map((a) => ({ ...a, imageId: i.id }))));
  const [purpose, setPurpose] = useState<Purpose>("LESION");
  const rois = useMemo<ViewerRoi[]>(
    () =>
      regions.annotations.flatMap((a) => {
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
    [regions.annotations, canAnnotate, myUserId],
  );
  const message = regions.message;
  const toolbarExtra = canAnnotate ? (
    <span className="tool-group region-purpose">
      <select
        value={purpose}
        onChange={(e) => setPurpose(e.target.value as Purpose)}
        aria-label="Purpose of new regions"
        title="What the next region drawn is for"
      >
        {PURPOSES.map((p) => (
          <option key={p} value={p}>
            New: {PURPOSE_LABEL[p]}
          </option>
        ))}
      </select>
      {regions.isPending ? <span className="muted small">Saving…</span> : null}
      {message ? (
        <span role={message.tone} className={`small ${message.tone === "alert" ? "error" : "muted"}`}>
          {message.text}
        </span>
      ) : null}
    </span>
  ) : null;
  return (
    <div className="stack">
      <CaseViewer
        images={images}
        rois={rois}
        canDrawRois={canAnnotate}
        onCreateRoi={(imageId, roi) => regions.create(imageId, purposeOf(purpose, roi.shape), roi)}
        onUpdateRoi={(id, roi) => regions.update(id, { shape: roi.shape, geometry: roi.geometry })}
        onDeleteRoi={(id) => regions.remove(id)}
        onUndo={canAnnotate ? regions.undo : undefined}
        hangingProtocol={props.hangingProtocol}
        toolbarExtra={toolbarExtra}
        label="Case images"
      />
      <RegionTable
        annotations={regions.annotations}
        images={images}
        canEdit={(a) => canAnnotate && a.author.id === myUserId}
        canAnnotate={canAnnotate}
        onPurpose={(id, p) => regions.update(id, { purpose: p })}
        onDelete={(id) => regions.remove(id)}
      />
      <CasePredictions images={images} />
    </div>
  );
}
