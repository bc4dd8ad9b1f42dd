import { parseViewPosition, type ViewModifier, type ViewPosition } from "../dicom/mammography-views.ts";
import { ImagingError } from "../errors.ts";
import type { IngestedImage } from "../ingest/ingest-file.ts";
import type { ManifestRow } from "./manifest.ts";

/** Where an image sits: breast, view and view modifiers. */
export type Placement = {
  laterality: "R" | "L";
  view: ViewPosition;
  viewCode?: string;
  viewModifiers: ViewModifier[];
};

// Laterality and view: the manifest's, else the DICOM header's; when both are there they must agree.
// View modifiers (spot compression, magnification...) from either are kept.
// The rows of one file must name one placement: the image is stored once (import defect 3).
export function resolvePlacement(image: IngestedImage, rows: ManifestRow[]): Placement {
  for (const field of ["laterality", "view"] as const) {
    const named = [...new Set(rows.map((r) => r[field]).filter((v) => v !== undefined))];
    if (named.length > 1)
      throw new ImagingError(
        "INVALID_MANIFEST",
        `the file is listed with two placements (${field} ${named.join(" and ")} on rows ${rows.map((r) => r.row).join(", ")}); one file is one image`,
      );
  }
  const given = rows.find((r) => r.laterality || r.view);
  const laterality = given?.laterality ?? image.laterality;
  if (!laterality)
    throw new ImagingError("INVALID_MANIFEST", "laterality is missing (not in the manifest, not in the file)");
  if (given?.laterality && image.laterality && given.laterality !== image.laterality) {
    throw new ImagingError(
      "INVALID_MANIFEST",
      `laterality ${given.laterality} in the manifest contradicts ${image.laterality} in the DICOM header`,
    );
  }
  if (given?.view) {
    const stated = parseViewPosition(given.view);
    const { view = "OTHER", viewCode } = stated;
    if (image.view && (image.view !== view || (view === "OTHER" && image.viewCode && image.viewCode !== viewCode))) {
      throw new ImagingError(
        "INVALID_MANIFEST",
        `view ${given.view} in the manifest contradicts ${image.viewCode ?? image.view} in the DICOM header`,
      );
    }
    const viewModifiers = [...new Set([...stated.viewModifiers, ...image.viewModifiers])].sort();
    return { laterality, view, viewCode, viewModifiers };
  }
  if (!image.view) throw new ImagingError("INVALID_MANIFEST", "view is missing (not in the manifest, not in the file)");
  return { laterality, view: image.view, viewCode: image.viewCode, viewModifiers: image.viewModifiers };
}
