import { parse } from "csv-parse/sync";
import { describeThrown, ImagingError } from "../errors.ts";
import { decodeManifest } from "./manifest-encoding.ts";

/**
 * The bulk-import manifest: a CSV file with a header row, one row per image (an image with two
 * regions of interest takes two rows with the same `file`). A row's label and region belong to a
 * finding (one lesion, or the statement that a breast is normal) on the breast of the row's image:
 * rows naming the same `finding` of a case share it (the same lesion outlined in CC and MLO; a
 * second pathologist's label). Columns, in any order:
 *
 * | column | required | meaning |
 * | --- | --- | --- |
 * | file | yes | the image: a path inside the import folder (CLI) or an uploaded file's name (API) |
 * | patient | yes | pseudonymous patient key, site-local (letters, digits, `.`, `_`, `-`; never a real ID) |
 * | case | no | pseudonymous exam key (default: the patient key); the rows of one case import together |
 * | laterality | PNG/JPEG | `R` or `L`; for DICOM taken from the header when empty, and must agree with it |
 * | view | PNG/JPEG | `CC`, `MLO` or another view code (`XCCL`, `ML`, ...); DICOM as laterality |
 * | finding | no | the finding's key within the case (1-64 letters, digits, `.`, `_`, `#`, `-`); default: the breast, `R` or `L` |
 * | subtype | no | the finding's pathology truth: TUBULE_FORMING, SOLID, SCIRRHOUS, OTHER_INVASIVE, BENIGN, NORMAL (the breast is normal: no region) |
 * | specimen_source | with subtype | BIOPSY, SURGERY, FOLLOW_UP (normal by follow-up) or DATASET (as the images' source states) |
 * | specimen_date | no | YYYY-MM-DD; stored shifted by the patient's de-identification offset |
 * | roi_shape | no | point, box, ellipse or polygon: a region of the finding on this image |
 * | roi | with roi_shape | numbers separated by spaces, in pixels of the image as stored (see below) |
 * | roi_purpose | no | LESION (default), FINDING or OTHER |
 * | note | no | short free text kept with the label and the region (no patient data!) |
 *
 * Importing a manifest again applies what is new in each row of an image already imported (a
 * label, a region) or refuses the row with the reason; one file listed twice must name one
 * placement (laterality and view).
 *
 * ROI coordinates: origin at the top-left corner of the top-left pixel, x to the right, y down,
 * in pixels of the image as stored (no flipping). point `x y`; box `x y width height`; ellipse
 * `cx cy rx ry [rotationRad]`; polygon `x1 y1 x2 y2 x3 y3 ...` (at least 3 points).
 *
 * Row numbers in errors are CSV line numbers: the header is row 1, the first image row 2.
 */
export type ManifestRow = {
  row: number;
  file: string;
  patientKey: string;
  caseKey: string;
  laterality?: "R" | "L";
  view?: string;
  /** The finding key the row's label and region belong to (see the table). */
  finding?: string;
  label?: { subtype: Subtype; source: SpecimenSource; specimenDate?: string };
  roi?: { shape: RoiShape; geometry: RoiGeometry; purpose: "LESION" | "FINDING" | "OTHER" };
  note?: string;
};

export type Subtype = "TUBULE_FORMING" | "SOLID" | "SCIRRHOUS" | "OTHER_INVASIVE" | "BENIGN" | "NORMAL";
export type SpecimenSource = "BIOPSY" | "SURGERY" | "FOLLOW_UP" | "DATASET";
export type RoiShape = "POINT" | "BOX" | "ELLIPSE" | "POLYGON";
export type RoiGeometry =
  | { x: number; y: number }
  | { x: number; y: number; width: number; height: number }
  | { cx: number; cy: number; rx: number; ry: number; rotationRad: number }
  | { points: [number, number][] };

export type RowError = { row: number; file?: string; code: string; message: string };

const SUBTYPES = new Set(["TUBULE_FORMING", "SOLID", "SCIRRHOUS", "OTHER_INVASIVE", "BENIGN", "NORMAL"]);
const SOURCES = new Set(["BIOPSY", "SURGERY", "FOLLOW_UP", "DATASET"]);
export const FINDING_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,63}$/;
const KNOWN_COLUMNS = new Set([
  "file",
  "patient",
  "case",
  "laterality",
  "view",
  "finding",
  "subtype",
  "specimen_source",
  "specimen_date",
  "roi_shape",
  "roi",
  "roi_purpose",
  "note",
]);
export const PSEUDONYM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_ROWS = 100_000;

/** Parses and checks a manifest. A bad header throws; bad rows come back as errors, by row. */
export function parseManifest(csv: string | Uint8Array): {
  rows: ManifestRow[];
  errors: RowError[];
  refusedCaseKeys: Set<string>;
} {
  const text = typeof csv === "string" ? csv : decodeManifest(csv);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to_line: MAX_ROWS + 1,
    });
  } catch (error) {
    throw new ImagingError("INVALID_MANIFEST", `manifest is not valid CSV: ${describeThrown(error)}`, { cause: error });
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !KNOWN_COLUMNS.has(h));
  if (unknown.length)
    throw new ImagingError("INVALID_MANIFEST", `manifest has unknown column(s): ${unknown.join(", ")}`);
  for (const required of ["file", "patient"]) {
    if (!header.includes(required))
      throw new ImagingError(
        "INVALID_MANIFEST",
        `manifest has no "${required}" column (header: ${header.join(",") || "empty"})`,
      );
  }
  if (records.length < 2) throw new ImagingError("INVALID_MANIFEST", "manifest has no image rows");

  const rows: ManifestRow[] = [];
  const errors: RowError[] = [];
  const refusedCaseKeys = new Set<string>(); // cases with a bad row import nothing
  records.slice(1).forEach((record, index) => {
    const row = index + 2;
    const get = (column: string) => {
      const i = header.indexOf(column);
      const value = i >= 0 ? record[i]?.trim() : undefined;
      return value === "" ? undefined : value;
    };
    try {
      rows.push(parseRow(row, get));
    } catch (error) {
      errors.push({ row, file: get("file"), code: "INVALID_MANIFEST", message: describeThrown(error) });
      const caseKey = get("case") ?? get("patient");
      if (caseKey) refusedCaseKeys.add(caseKey);
    }
  });
  return { rows, errors, refusedCaseKeys };
}

function parseRow(row: number, get: (column: string) => string | undefined): ManifestRow {
  const file = get("file");
  if (!file) throw new Error("file is empty");
  const patientKey = get("patient");
  // Errors are stored with the import: a refused key may be a real name or ID, so it is not repeated.
  if (!patientKey || !PSEUDONYM_PATTERN.test(patientKey))
    throw new Error(
      "patient key must be a pseudonym of 1-64 letters, digits, '.', '_' or '-' (never a real name or ID)",
    );
  const caseKey = get("case") ?? patientKey;
  if (!PSEUDONYM_PATTERN.test(caseKey))
    throw new Error(
      "case key must be a pseudonym of 1-64 letters, digits, '.', '_' or '-' (never a real accession number)",
    );
  const laterality = get("laterality")?.toUpperCase();
  if (laterality !== undefined && laterality !== "R" && laterality !== "L")
    throw new Error(`laterality must be R or L (got ${laterality})`);
  const view = get("view")?.toUpperCase();
  if (view !== undefined && !/^[A-Z]{1,16}$/.test(view))
    throw new Error(`view must be a view code such as CC or MLO (got ${view})`);
  const note = get("note");
  if (note && note.length > 500) throw new Error("note is longer than 500 characters");
  const label = parseLabel(get);
  const roi = parseRoi(get);
  const finding = get("finding");
  if (finding !== undefined) {
    if (!FINDING_KEY_PATTERN.test(finding))
      throw new Error(`finding ${JSON.stringify(finding)} must be 1-64 letters, digits, '.', '_', '#' or '-'`);
    if (!label && !roi) throw new Error("finding given without a subtype or a region");
  }
  if (label?.subtype === "NORMAL" && roi)
    throw new Error(
      "a NORMAL label states the breast is normal: it has no lesion region (put the region on its own finding)",
    );
  return { row, file, patientKey, caseKey, laterality, view, finding, label, roi, note };
}

function parseLabel(get: (column: string) => string | undefined): ManifestRow["label"] {
  const subtype = get("subtype")?.toUpperCase();
  const source = get("specimen_source")?.toUpperCase();
  const specimenDate = get("specimen_date");
  if (!subtype) {
    if (source || specimenDate) throw new Error("specimen_source/specimen_date given without a subtype");
    return undefined;
  }
  if (!SUBTYPES.has(subtype)) throw new Error(`subtype must be one of ${[...SUBTYPES].join(", ")} (got ${subtype})`);
  if (!source || !SOURCES.has(source))
    throw new Error(
      `specimen_source must be one of ${[...SOURCES].join(", ")} when a subtype is given (got ${source ?? "nothing"})`,
    );
  if (
    specimenDate !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(specimenDate) || Number.isNaN(Date.parse(`${specimenDate}T00:00:00Z`)))
  ) {
    throw new Error("specimen_date must be a date written YYYY-MM-DD");
  }
  return { subtype: subtype as Subtype, source: source as SpecimenSource, specimenDate };
}

function parseRoi(get: (column: string) => string | undefined): ManifestRow["roi"] {
  const shape = get("roi_shape")?.toUpperCase();
  const text = get("roi");
  if (!shape) {
    if (text) throw new Error("roi given without roi_shape");
    return undefined;
  }
  const numbers = (text ?? "")
    .split(/[\s;]+/)
    .filter((t) => t !== "")
    .map(Number);
  if (numbers.some((n) => !Number.isFinite(n)))
    throw new Error(`roi must be numbers separated by spaces (got ${JSON.stringify(text ?? "")})`);
  const purpose = (get("roi_purpose")?.toUpperCase() ?? "LESION") as "LESION" | "FINDING" | "OTHER";
  if (!["LESION", "FINDING", "OTHER"].includes(purpose))
    throw new Error(`roi_purpose must be LESION, FINDING or OTHER (got ${purpose})`);
  const expect = (counts: number[], form: string) => {
    if (!counts.includes(numbers.length))
      throw new Error(`roi for ${shape.toLowerCase()} must be "${form}" (got ${numbers.length} numbers)`);
  };
  const [a, b, c, d, e] = numbers as [number, number, number, number, number?];
  switch (shape) {
    case "POINT":
      expect([2], "x y");
      return { shape, purpose, geometry: { x: a, y: b } };
    case "BOX":
      expect([4], "x y width height");
      if (c <= 0 || d <= 0) throw new Error("box width and height must be positive");
      return { shape, purpose, geometry: { x: a, y: b, width: c, height: d } };
    case "ELLIPSE":
      expect([4, 5], "cx cy rx ry [rotationRad]");
      if (c <= 0 || d <= 0) throw new Error("ellipse radii must be positive");
      return { shape, purpose, geometry: { cx: a, cy: b, rx: c, ry: d, rotationRad: e ?? 0 } };
    case "POLYGON": {
      if (numbers.length < 6 || numbers.length % 2 !== 0)
        throw new Error(`roi for polygon must be "x1 y1 x2 y2 x3 y3 ..." (got ${numbers.length} numbers)`);
      const points: [number, number][] = [];
      for (let i = 0; i < numbers.length; i += 2) points.push([numbers[i]!, numbers[i + 1]!]);
      return { shape, purpose, geometry: { points } };
    }
    default:
      throw new Error(`roi_shape must be point, box, ellipse or polygon (got ${shape.toLowerCase()})`);
  }
}

/** The region's bounding box, to check it lies on the image. */
export function roiBounds(geometry: RoiGeometry): { minX: number; minY: number; maxX: number; maxY: number } {
  if ("points" in geometry) {
    const xs = geometry.points.map((p) => p[0]);
    const ys = geometry.points.map((p) => p[1]);
    return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
  }
  if ("cx" in geometry)
    return {
      minX: geometry.cx - geometry.rx,
      minY: geometry.cy - geometry.ry,
      maxX: geometry.cx + geometry.rx,
      maxY: geometry.cy + geometry.ry,
    };
  if ("width" in geometry)
    return {
      minX: geometry.x,
      minY: geometry.y,
      maxX: geometry.x + geometry.width,
      maxY: geometry.y + geometry.height,
    };
  return { minX: geometry.x, minY: geometry.y, maxX: geometry.x, maxY: geometry.y };
}
