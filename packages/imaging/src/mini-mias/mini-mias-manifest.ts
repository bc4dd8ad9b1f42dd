import { parse } from "csv-parse/sync";
import { ImagingError } from "../errors.ts";

/**
 * Converts the mini-MIAS `labels.csv` (one row per abnormality) into an import manifest
 * (see import/manifest.ts). The images stay where they are: `file` is `images/<image>.png`,
 * relative to the mini-MIAS folder given to the import as --dir.
 *
 * - patient `MIAS-Pnnn`, one case per patient (both breasts), laterality from `side`, view MLO.
 * - one finding per abnormality row, keyed `<image>#<n>` (an image with two rows has two
 *   findings): severity B -> BENIGN, M -> OTHER_INVASIVE (malignant, subtype unknown), source
 *   BIOPSY.
 * - a normal image (NORM) labels its breast NORMAL, finding `<image>`, source DATASET: the
 *   source's own statement.
 * - the lesion circle is the finding's region: an ELLIPSE with rx = ry = radius. mini-MIAS puts
 *   the origin at the BOTTOM-left corner: its (x, y) is pixel column x and pixel row
 *   (height - y). Our geometry has the origin at the top-left corner of the top-left pixel, y
 *   down, so the centre of that pixel is cx = x + 0.5, cy = (height - y) + 0.5.
 * - rows without a position (some CALC rows) keep their finding and label but get no region.
 */
export function miniMiasManifest(labelsCsv: string, imageHeightPx = 1024): string {
  const records = parse(labelsCsv, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (records.length === 0 || !("image" in records[0]!) || !("patient" in records[0]!)) {
    throw new ImagingError(
      "INVALID_MANIFEST",
      "not a mini-MIAS labels.csv (expected columns image,patient,side,background_tissue,abnormality,severity,x,y,radius)",
    );
  }
  const lines = ["file,patient,case,laterality,view,finding,subtype,specimen_source,roi_shape,roi,roi_purpose,note"];
  const rowsOfImage = new Map<string, number>();
  for (const r of records) {
    const patient = `MIAS-${r.patient}`;
    const isNormal = r.abnormality === "NORM";
    const n = (rowsOfImage.get(r.image!) ?? 0) + 1;
    rowsOfImage.set(r.image!, n);
    const subtype = isNormal ? "NORMAL" : r.severity === "M" ? "OTHER_INVASIVE" : r.severity === "B" ? "BENIGN" : "";
    const source = isNormal ? "DATASET" : subtype ? "BIOPSY" : "";
    const hasCircle = !isNormal && r.x && r.y && r.radius;
    const roi = hasCircle
      ? `${Number(r.x) + 0.5} ${imageHeightPx - Number(r.y) + 0.5} ${Number(r.radius)} ${Number(r.radius)}`
      : "";
    lines.push(
      [
        `images/${r.image}.png`,
        patient,
        patient,
        r.side,
        "MLO",
        isNormal ? r.image : `${r.image}#${n}`,
        subtype,
        source,
        hasCircle ? "ellipse" : "",
        roi,
        hasCircle ? "LESION" : "",
        `mini-MIAS ${r.abnormality}`,
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
