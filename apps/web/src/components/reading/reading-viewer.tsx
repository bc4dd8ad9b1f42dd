"use client";

import { useMemo } from "react";
import { CaseViewer } from "@/components/viewer/case-viewer";
import type { ViewerImage, ViewerRoi } from "@/components/viewer/viewer-types";
import { fileUrl, pixelsUrl } from "@/lib/files";
import type { HangingProtocol } from "@/lib/hanging";
import { heatmapDescription } from "@/lib/labels";
import type { ReadingImage, ReadingTask } from "@/lib/reading";
import { roiFromApi } from "@/viewer/roi-geometry";
import type { ReadDraft } from "./use-read-draft";

const READING_SHORTCUTS = {
  title: "Reading",
  shortcuts: [
    { keys: "1 … n", does: "choose the subtype (then the keys set the confidence)" },
    { keys: "1 … 9, 0", does: "confidence 10 … 90, 100 (after the subtype)" },
    { keys: "↑ ↓ / ← →", does: "confidence ±5 / ±1" },
    { keys: "Backspace", does: "digit keys back to the subtype" },
    { keys: "Enter", does: "submit the read (wherever focus is)" },
    { keys: "Shift+F", does: "full-screen reading" },
    { keys: "?", does: "this list" },
  ],
};

/** The task's images for the viewer, each with the AI's heatmap and how it was made (aided step). */
export function viewerImages(images: ReadingImage[], ai?: ReadingTask["ai"]): ViewerImage[] {
  return images.map((i) => {
    const heatmap = ai?.heatmaps.find((h) => h.imageId === i.id);
    return {
      ...i,
      pixelsUrl: pixelsUrl(i.displayUrl),
      heatmapUrl: heatmap ? fileUrl(heatmap.url) : null,
      heatmapDescription: heatmap ? heatmapDescription({ ...heatmap, subtype: ai?.answer ?? null }) : null,
    };
  });
}

/**
 * The lesion the question is about (a FINDING study: outlined, never editable), the reader's own
 * mark (editable) and, in the aided step, their unaided mark.
 */
function readingRois(task: ReadingTask, mark: ReadDraft["mark"]): ViewerRoi[] {
  const earlier = task.myUnaidedRead?.roi;
  const earlierRoi = earlier ? roiFromApi(earlier.shape, earlier.geometry) : null;
  const list: ViewerRoi[] = [];
  for (const [index, m] of (task.findingMarks ?? []).entries()) {
    const roi = roiFromApi(m.shape, m.geometry);
    if (roi)
      list.push({
        id: `finding-${index}`,
        imageId: m.imageId,
        roi,
        label: "the lesion asked about",
        tone: "lesion",
        isEditable: false,
      });
  }
  if (earlier && earlierRoi)
    list.push({
      id: "unaided-mark",
      imageId: earlier.imageId,
      roi: earlierRoi,
      label: "your unaided mark",
      tone: "annotation",
      isEditable: false,
    });
  if (mark)
    list.push({
      id: "my-mark",
      imageId: mark.imageId,
      roi: mark.roi,
      label: "your mark",
      tone: "reader",
      isEditable: true,
    });
  return list;
}

/** The step's images in the reader's hanging, the reader's mark as the ROI question asks it. */
export function ReadingViewer(props: {
  task: ReadingTask;
  mark: ReadDraft["mark"];
  setMark: (change: (mark: ReadDraft["mark"]) => ReadDraft["mark"]) => void;
  hangingProtocol: HangingProtocol;
  onAllDisplayed: () => void;
  isHelpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
  isFullScreen: boolean;
  toggleFullScreen: () => void;
}) {
  const { task, mark, setMark } = props;
  const images = useMemo(() => viewerImages(task.images, task.ai), [task]);
  const rois = useMemo(() => readingRois(task, mark), [task, mark]);
  return (
    <CaseViewer
      images={images}
      rois={rois}
      canDrawRois={task.questions.some((q) => q.kind === "ROI")}
      onCreateRoi={(imageId, roi) => setMark(() => ({ imageId, roi }))}
      onUpdateRoi={(_id, roi) => setMark((m) => (m ? { ...m, roi } : m))}
      onDeleteRoi={() => setMark(() => null)}
      hangingProtocol={props.hangingProtocol}
      onAllDisplayed={props.onAllDisplayed}
      pageShortcuts={READING_SHORTCUTS}
      isHelpOpen={props.isHelpOpen}
      onHelpOpenChange={props.setHelpOpen}
      showLegend={false}
      toolbarExtra={
        <button
          type="button"
          aria-pressed={props.isFullScreen}
          onClick={props.toggleFullScreen}
          title="Full-screen reading (Shift+F)"
          aria-label="Full screen"
        >
          Full
        </button>
      }
      label={`Case ${task.caseCode} images`}
    />
  );
}
