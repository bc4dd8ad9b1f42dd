"use client";

import { useRef, useState, useTransition } from "react";
import {
  createAnnotationAction,
  deleteAnnotationAction,
  updateAnnotationAction,
  type SavedAnnotation,
} from "@/app/(app)/cases/[caseId]/actions";
import { ROI_SHAPE_LABEL, type Roi, type RoiShape } from "@/viewer/roi-geometry";

export type PlacedAnnotation = SavedAnnotation & { imageId: string };
type Change = Partial<Pick<SavedAnnotation, "purpose" | "shape" | "geometry">>;
/** What undoes one change: delete what was made, put back what was changed, make again what was deleted. */
type Undo =
  | { kind: "created"; id: string }
  | { kind: "updated"; id: string; before: Change }
  | { kind: "deleted"; annotation: PlacedAnnotation };
export type RegionMessage = { tone: "status" | "alert"; text: string };

/**
 * The case's regions as the annotator edits them: saved on the server at once (optimistic for
 * changes), every step undoable (Ctrl+Z), a deleted region included (it is made again).
 */
export function useRegionHistory(initial: PlacedAnnotation[]) {
  const [annotations, setAnnotations] = useState(initial);
  const [message, setMessage] = useState<RegionMessage | null>(null);
  const [isPending, startTransition] = useTransition();
  const undoStack = useRef<Undo[]>([]);

  const fail = (text: string, restore?: PlacedAnnotation[]) => {
    if (restore) setAnnotations(restore);
    setMessage({ tone: "alert", text });
  };

  /** `restores`: the id of the deleted region this makes again (later undo steps then name the new one). */
  function create(imageId: string, purpose: string, roi: Roi, restores?: string) {
    const isUndo = restores !== undefined;
    startTransition(async () => {
      const result = await createAnnotationAction({ imageId, purpose, shape: roi.shape, geometry: roi.geometry });
      if (!result.ok) return fail(result.error);
      const made = result.value.id;
      setAnnotations((list) => [...list, { ...result.value, imageId }]);
      if (isUndo)
        undoStack.current = undoStack.current.map((u) => ("id" in u && u.id === restores ? { ...u, id: made } : u));
      else undoStack.current.push({ kind: "created", id: made });
      setMessage({
        tone: "status",
        text: isUndo ? "Deletion undone." : `${ROI_SHAPE_LABEL[roi.shape as RoiShape]} saved.`,
      });
    });
  }

  function update(id: string, change: Change, isUndo = false) {
    const before = annotations;
    const old = annotations.find((a) => a.id === id);
    if (!old) return;
    setAnnotations((list) => list.map((a) => (a.id === id ? { ...a, ...change } : a)));
    startTransition(async () => {
      const result = await updateAnnotationAction({ annotationId: id, ...change });
      if (!result.ok) return fail(result.error, before);
      if (!isUndo)
        undoStack.current.push({
          kind: "updated",
          id,
          before: Object.fromEntries(Object.keys(change).map((k) => [k, old[k as keyof Change]])) as Change,
        });
      setMessage({ tone: "status", text: isUndo ? "Change undone." : "Region updated." });
    });
  }

  function remove(id: string, isUndo = false) {
    const before = annotations;
    const gone = annotations.find((a) => a.id === id);
    setAnnotations((list) => list.filter((a) => a.id !== id));
    startTransition(async () => {
      const result = await deleteAnnotationAction(id);
      if (!result.ok) return fail(result.error, before);
      if (!isUndo && gone) undoStack.current.push({ kind: "deleted", annotation: gone });
      setMessage({ tone: "status", text: isUndo ? "Region removed again." : "Region deleted. Ctrl+Z undoes it." });
    });
  }

  function undo() {
    const last = undoStack.current.pop();
    if (!last) return setMessage({ tone: "status", text: "Nothing to undo." });
    if (last.kind === "created") remove(last.id, true);
    else if (last.kind === "updated") update(last.id, last.before, true);
    else {
      const a = last.annotation;
      create(a.imageId, a.purpose, { shape: a.shape, geometry: a.geometry } as Roi, a.id);
    }
  }

  return { annotations, message, isPending, create, update, remove, undo };
}
