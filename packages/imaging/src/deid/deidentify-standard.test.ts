// De-identification checked against PS3.15 Table E.1-1 as published, not against the
// implementation's own table: the reference file (../shared/reference, innolitics/dicom-standard's
// machine-readable copy of the table) drives what is planted and what each row must become.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import dcmjs, { type DicomDataset, type DicomElement } from "dcmjs";
import dicomParser from "dicom-parser";
import { describe, expect, it } from "vitest";
import { buildDicom } from "../../test/fixtures/synthetic-dicom.ts";
import { readDicomFile } from "../dicom/read-dicom.ts";
import { deidentifyDicom } from "./deidentify-dicom.ts";

const REFERENCE =
  process.env.PS315_TABLE_E11 ??
  path.resolve(import.meta.dirname, "../../../../../shared/reference/ps3.15-table-e1-1.json");
const hasReference = existsSync(REFERENCE);
// CI checks out the repository next to ../shared, so there the test never skips.
const skip = !hasReference && !process.env.CI;
if (skip)
  console.warn(
    `[deid] PS3.15 Table E.1-1 reference absent at ${REFERENCE} (it lives in ../shared/reference next to the ` +
      "repository; set PS315_TABLE_E11 to point at it): the de-identification test against the standard is SKIPPED",
  );

type ReferenceRow = { name: string; tag: string; id: string; basicProfile: string } & Record<string, string>;
type Outcome = "ABSENT" | "EMPTY" | "REPLACED" | "SHIFTED" | "KEPT";

const { dictionary } = dcmjs.data.DicomMetaDictionary;
const DAYS = -100;
const OPTIONS = { secret: "standard-test-secret", patientPseudonym: "P-STD", dateShiftDays: DAYS };
// De-identification Method Code Sequence values (PS3.16 CID 7050) and the table column each option
// overrides. 113100 is the profile itself.
const OPTION_COLUMNS: Record<string, string | null> = {
  "113100": null,
  "113107": "rtnLongModifDatesOpt",
};
// What each action of the table allows (PS3.15 E.1.1): Z and D may both be met by a dummy value;
// X/Z/U* is handled on its own (reference sequences).
const ALLOWED: Record<string, Outcome[]> = {
  X: ["ABSENT"],
  Z: ["EMPTY", "REPLACED"],
  D: ["REPLACED"],
  U: ["REPLACED"],
  "Z/D": ["EMPTY", "REPLACED"],
  "X/Z": ["ABSENT", "EMPTY", "REPLACED"],
  "X/D": ["ABSENT", "REPLACED"],
  "X/Z/D": ["ABSENT", "EMPTY", "REPLACED"],
  "X/Z/U*": ["ABSENT", "EMPTY", "REPLACED"],
};
// dcmjs writes pseudo-VRs for attributes that allow several; each real VR is planted in turn.
const PSEUDO_VRS: Record<string, string[]> = { xs: ["US", "SS"], ox: ["OB", "OW"], lt: ["US", "SS", "OW"] };
// Kept, untabled sequences that carry the nested copies: level 1 and level 2.
const NEST = ["00082218", "00082220"];
const CANARY_DATE = "19770707";
const CANARY_TIME = "235959";
const REFERENCE_ITEM_TAGS = new Set(["00081150", "00081155", "00081160", "0062000B"]);

const token = (level: number, id: string) => `CANARY${level}${id}`; // <= 16 characters (AE, SH, CS)
const canaryUid = (level: number, id: string) => `1.2.999.${level}.${parseInt(id, 16)}`;
const bytesOf = (text: string) => new TextEncoder().encode(text.length % 2 ? `${text} ` : text).buffer;

function shiftedDate(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8) + days));
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

function vrsOf(id: string): string[] {
  const entry = dictionary[`(${id.slice(0, 4)},${id.slice(4)})`];
  if (!entry) throw new Error(`(${id.slice(0, 4)},${id.slice(4)}) is not in dcmjs' data dictionary`);
  return PSEUDO_VRS[entry.vr] ?? [entry.vr];
}

/** The planted value of one attribute in one VR; sequences get an item with a canary (and references). */
function plant(id: string, vr: string, level: number, action: string): DicomElement {
  const text = token(level, id);
  switch (vr) {
    case "AE":
    case "CS":
    case "SH":
    case "LO":
    case "ST":
    case "LT":
    case "UT":
    case "UC":
    case "UR":
      return { vr, Value: [text] };
    case "PN":
      return { vr, Value: [{ Alphabetic: `${text}^PN` }] };
    case "AS":
      return { vr, Value: ["077Y"] };
    case "DA":
      return { vr, Value: [CANARY_DATE] };
    case "DT":
      return { vr, Value: [`${CANARY_DATE}101010`] };
    case "TM":
      return { vr, Value: [CANARY_TIME] };
    case "UI":
      return { vr, Value: [canaryUid(level, id)] };
    case "IS":
      return { vr, Value: ["4242"] };
    case "DS":
      return { vr, Value: ["4242.5"] };
    case "US":
    case "SS":
    case "UL":
    case "SL":
      return { vr, Value: [4242] };
    case "FL":
    case "FD":
      return { vr, Value: [4242.5] };
    case "OB":
    case "OW":
    case "UN":
      return { vr, Value: [bytesOf(text)] };
    case "SQ": {
      const item: DicomDataset = { "00080104": { vr: "LO", Value: [text] } };
      if (action === "X/Z/U*") {
        item["00081150"] = { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.1.2"] };
        item["00081155"] = { vr: "UI", Value: [canaryUid(level, `${id}`) + ".55"] };
      }
      return { vr, Value: [item] };
    }
    default:
      throw new Error(`no canary for VR ${vr} of ${id}`);
  }
}

type Planted = { row: ReferenceRow; id: string; vr: string; level: number; element: DicomElement };

/** Every attribute row planted at levels 0, 1 and 2 (command, meta and directory groups only nested). */
function buildFixture(rows: ReferenceRow[], vrRound: number) {
  const planted: Planted[] = [];
  const levels: DicomDataset[] = [{}, {}, {}];
  for (const row of rows) {
    const id = row.id.toUpperCase();
    const vrs = vrsOf(id);
    const vr = vrs[vrRound % vrs.length]!;
    for (const level of [0, 1, 2]) {
      if (level === 0 && ["0000", "0002", "0004"].includes(id.slice(0, 4))) continue;
      const element = plant(id, vr, level, row.basicProfile);
      levels[level]![id] = element;
      planted.push({ row, id, vr, level, element });
    }
  }
  for (const [level, ds] of levels.entries()) addRuleCanaries(ds, level);
  levels[1]![NEST[1]!] = { vr: "SQ", Value: [levels[2]!] };
  const top = { ...levels[0]!, [NEST[0]!]: { vr: "SQ", Value: [levels[1]!] } };
  // The file's own SOP Instance UID (and so its meta header's) is the planted one.
  const sopInstanceUid = canaryUid(0, "00080018");
  const bytes = buildDicom({ attributes: { SOPInstanceUID: sopInstanceUid }, elements: top });
  return { bytes, planted };
}

// Curve data (50xx,eeee) in every repeating group, overlay data and comments (60xx,3000/4000),
// and private attributes (creators, elements, a private sequence) in several odd groups.
function addRuleCanaries(ds: DicomDataset, level: number) {
  for (let g = 0; g <= 0x1e; g += 2) {
    const hex = g.toString(16).toUpperCase().padStart(2, "0");
    ds[`50${hex}0022`] = { vr: "LO", Value: [`CANARY${level}CURVE${hex}`] };
    ds[`50${hex}3000`] = { vr: "OB", Value: [bytesOf(`CANARY${level}CURVEDATA${hex}`)] };
    ds[`60${hex}3000`] = { vr: "OB", Value: [bytesOf(`CANARY${level}OVERLAY${hex}`)] };
    ds[`60${hex}4000`] = { vr: "LT", Value: [`CANARY${level}OVERLAYCOMMENT${hex}`] };
  }
  for (const group of ["0009", "0019", "0029", "7FE1"]) {
    ds[`${group}0010`] = { vr: "LO", Value: [`CANARY${level}CREATOR${group}`] };
    ds[`${group}1001`] = { vr: "LO", Value: [`CANARY${level}PRIVATE${group}`] };
    ds[`${group}1002`] = {
      vr: "SQ",
      Value: [{ "00100010": { vr: "PN", Value: [{ Alphabetic: `CANARY${level}PRIVATESQ${group}` }] } }],
    };
  }
}

function datasetAt(root: DicomDataset, level: number): DicomDataset | undefined {
  let ds: DicomDataset | undefined = root;
  for (let i = 0; i < level; i++) ds = ds?.[NEST[i]!]?.Value?.[0] as DicomDataset | undefined;
  return ds;
}

function plainValues(element: DicomElement): string[] {
  return (element.Value ?? [])
    .map((v) => (v && typeof v === "object" && "Alphabetic" in v ? String(v.Alphabetic ?? "") : String(v)))
    .flatMap((v) => v.split("\\"))
    .map((v) => v.replace(/\0/g, "").trim())
    .filter((v) => v !== "");
}

// Items of a sequence as a second parser (dicom-parser) sees them: dcmjs drops empty items on reading.
function itemCount(parsed: dicomParser.DataSet, p: Planted): number {
  let ds: dicomParser.DataSet | undefined = parsed;
  for (let i = 0; i < p.level; i++) ds = ds?.elements[`x${NEST[i]!.toLowerCase()}`]?.items?.[0]?.dataSet;
  return ds?.elements[`x${p.id.toLowerCase()}`]?.items?.length ?? 0;
}

function outcomeOf(p: Planted, element: DicomElement | undefined, items: number): Outcome {
  if (!element) return "ABSENT";
  const text = token(p.level, p.id);
  if (p.vr === "SQ") {
    if (items === 0) return "EMPTY";
    return JSON.stringify(element.Value ?? []).includes(text) ? "KEPT" : "REPLACED";
  }
  const buffers = (element.Value ?? []).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  if (buffers.length || ["OB", "OW", "UN"].includes(p.vr)) {
    const bytes = Buffer.concat(buffers.map((b) => Buffer.from(b)));
    if (bytes.length === 0) return "EMPTY";
    return bytes.toString("latin1").includes(text) ? "KEPT" : "REPLACED";
  }
  const values = plainValues(element);
  const original = plainValues(p.element);
  if (values.length === 0) return "EMPTY";
  if (values.some((v) => original.includes(v) || v.includes(text))) return "KEPT";
  const shifted = p.vr === "DA" ? shiftedDate(CANARY_DATE, DAYS) : `${shiftedDate(CANARY_DATE, DAYS)}101010`;
  if ((p.vr === "DA" || p.vr === "DT") && values.length === 1 && values[0] === shifted) return "SHIFTED";
  return "REPLACED";
}

/** The action the output must show: the profile's, or the claimed option's where its column has one. */
function effectiveAction(row: ReferenceRow, claimedColumns: string[]): { action: string; allowed: Outcome[] } {
  const basic = ALLOWED[row.basicProfile];
  if (!basic) throw new Error(`unknown Basic Profile action ${row.basicProfile} for ${row.tag}`);
  for (const column of claimedColumns) {
    const option = row[column];
    if (option === "C")
      // Modified Dates: a date kept is shifted by the patient's offset; the profile's own
      // (stricter) action still keeps nothing of the original, so it is allowed too.
      return { action: `${row.basicProfile} (option C)`, allowed: [...basic, "SHIFTED"] };
    if (option) throw new Error(`option action ${option} of ${column} is not checked by this test`);
  }
  return { action: row.basicProfile, allowed: basic };
}

describe.skipIf(skip)("de-identification against PS3.15 Table E.1-1 as published", () => {
  it("gives every row of the table its action, at every nesting level, in every VR the dictionary allows", () => {
    if (!hasReference) throw new Error(`CI needs the reference table at ${REFERENCE}`);
    const rows = JSON.parse(readFileSync(REFERENCE, "utf8")) as ReferenceRow[];
    expect(rows.length).toBe(621);
    const attributeRows = rows.filter((r) => /^[0-9a-f]{8}$/.test(r.id));
    const ruleRows = rows.filter((r) => !/^[0-9a-f]{8}$/.test(r.id));
    expect(ruleRows.map((r) => r.id).sort()).toEqual([
      "50xxxxxx",
      "60xx3000",
      "60xx4000",
      "ggggeeee-where-gggg-is-odd",
    ]);
    for (const tag of NEST) expect(attributeRows.some((r) => r.id.toUpperCase() === tag)).toBe(false);

    const rounds = Math.max(...attributeRows.map((r) => vrsOf(r.id.toUpperCase()).length));
    const failures: string[] = [];
    const uidMap = new Map<string, string>();
    let checks = 0;
    for (let round = 0; round < rounds; round++) {
      const { bytes, planted } = buildFixture(attributeRows, round);
      const input = readDicomFile(bytes);
      for (const p of planted) {
        // The fixture must really hold what the test believes it planted.
        if (!datasetAt(input.dict, p.level)?.[p.id]) failures.push(`${p.row.tag} was not planted at level ${p.level}`);
      }
      // Two files with the same originals: UIDs must map the same way in both (a set of instances).
      for (const copy of [0, 1]) {
        const result = deidentifyDicom(readDicomFile(bytes), OPTIONS);
        const output = readDicomFile(result.bytes);
        const parsed = dicomParser.parseDicom(result.bytes);
        const claimed = ((output.dict["00120064"]?.Value ?? []) as DicomDataset[]).map(
          (item) => item["00080100"]?.Value?.[0] as string,
        );
        expect(claimed).toContain("113100");
        for (const code of claimed)
          if (!(code in OPTION_COLUMNS))
            throw new Error(`the output claims option ${code}, which this test cannot check`);
        const columns = claimed.map((c) => OPTION_COLUMNS[c]).filter((c): c is string => !!c);
        for (const p of planted) {
          const element = datasetAt(output.dict, p.level)?.[p.id];
          const { action, allowed } = effectiveAction(p.row, columns);
          const outcome = outcomeOf(p, element, p.vr === "SQ" ? itemCount(parsed, p) : 0);
          checks++;
          const where = `${p.row.tag} ${p.row.name} (${p.vr}, level ${p.level}, file ${copy + 1})`;
          if (!allowed.includes(outcome))
            failures.push(`${where}: ${action} allows ${allowed.join("/")}, got ${outcome}`);
          else if (p.row.basicProfile === "D" && outcome === "REPLACED" && plainValues(element!).length === 0)
            if (!["SQ", "OB", "OW", "UN"].includes(p.vr)) failures.push(`${where}: D needs a non-empty value`);
          if (p.vr === "UI" && p.row.basicProfile === "U") checkUid(where, p, element, uidMap, failures);
          if (p.row.basicProfile === "X/Z/U*" && element) checkReferences(where, p, element, uidMap, failures);
        }
        const meta = output.meta["00020003"]?.Value?.[0];
        if (meta !== output.dict["00080018"]?.Value?.[0])
          failures.push("(0002,0003) in the meta header is not the new SOP Instance UID");
        const text = Buffer.from(result.bytes).toString("latin1");
        const survivors = [...new Set([...text.matchAll(/CANARY\d[A-Z0-9]+/g)].map((m) => m[0]))];
        if (survivors.length) failures.push(`canaries left in the file: ${survivors.slice(0, 20).join(", ")}`);
        for (const uid of uidMap.keys()) if (text.includes(uid)) failures.push(`original UID ${uid} left in the file`);
        if (text.includes(CANARY_DATE)) failures.push(`the original date ${CANARY_DATE} is left in the file`);
      }
    }
    console.log(
      `[deid] PS3.15 Table E.1-1: ${rows.length} rows checked (${attributeRows.length} attributes at 3 nesting ` +
        `levels in ${rounds} VR round(s), 2 files each = ${checks} checks; curve, overlay and private rules ` +
        `at every level); ${failures.length} failure(s)`,
    );
    expect(failures).toEqual([]);
  });
});

function checkUid(
  where: string,
  p: Planted,
  element: DicomElement | undefined,
  uidMap: Map<string, string>,
  failures: string[],
) {
  const value = element ? plainValues(element)[0] : undefined;
  const original = plainValues(p.element)[0]!;
  if (!value || !/^[0-9]+(\.[0-9]+)*$/.test(value) || value.length > 64) {
    failures.push(`${where}: U needs a valid UID, got ${JSON.stringify(value)}`);
    return;
  }
  const seen = uidMap.get(original);
  if (seen !== undefined && seen !== value) failures.push(`${where}: ${original} mapped to two different UIDs`);
  uidMap.set(original, value);
}

// X/Z/U*: a kept reference sequence keeps nothing but references, its instance UIDs replaced.
function checkReferences(
  where: string,
  p: Planted,
  element: DicomElement,
  uidMap: Map<string, string>,
  failures: string[],
) {
  const plantedItem = (p.element.Value as DicomDataset[])[0]!;
  for (const item of (element.Value ?? []) as DicomDataset[]) {
    const extra = Object.keys(item).filter((tag) => !REFERENCE_ITEM_TAGS.has(tag));
    if (extra.length) failures.push(`${where}: X/Z/U* item keeps ${extra.join(", ")}`);
    const original = plainValues(plantedItem["00081155"]!)[0]!;
    const uid = item["00081155"] ? plainValues(item["00081155"])[0] : undefined;
    if (uid === original) failures.push(`${where}: referenced SOP Instance UID kept`);
    else if (uid) {
      const seen = uidMap.get(original);
      if (seen !== undefined && seen !== uid) failures.push(`${where}: reference ${original} mapped inconsistently`);
      uidMap.set(original, uid);
    }
  }
}
