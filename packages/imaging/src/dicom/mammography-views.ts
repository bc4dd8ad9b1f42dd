import type { DicomDataset } from "dcmjs";
import { sequenceItems, stringValue } from "./dataset-values.ts";

export type ViewPosition = "CC" | "MLO" | "OTHER";
export type ViewModifier =
  | "CLEAVAGE"
  | "AXILLARY_TAIL"
  | "ROLLED_LATERAL"
  | "ROLLED_MEDIAL"
  | "ROLLED_INFERIOR"
  | "ROLLED_SUPERIOR"
  | "IMPLANT_DISPLACED"
  | "MAGNIFICATION"
  | "SPOT_COMPRESSION"
  | "TANGENTIAL"
  | "NIPPLE_IN_PROFILE"
  | "ANTERIOR_COMPRESSION"
  | "INFRAMAMMARY_FOLD"
  | "AXILLARY_TISSUE"
  | "OTHER";

/** A mammography view: CC, MLO or another view code (XCCL, ML...), and its modifiers. */
export type MammographyView = { view?: ViewPosition; viewCode?: string; viewModifiers: ViewModifier[] };

// PS3.16 CID 4014 (View for Mammography): SNOMED RT ("R-...") and SNOMED CT codes, with the ACR
// abbreviation that View Position (0018,5101) uses.
const VIEW_CODES: Record<string, string> = {
  "R-10242": "CC",
  "399162004": "CC",
  "R-10226": "MLO",
  "399368009": "MLO",
  "R-10224": "ML",
  "399260004": "ML",
  "R-10228": "LM",
  "399352003": "LM",
  "R-10230": "LMO",
  "399099002": "LMO",
  "R-10244": "FB",
  "399196006": "FB",
  "R-102D0": "SIO",
  "399188001": "SIO",
  "R-40AAA": "ISO",
  "441555000": "ISO",
  "R-1024A": "XCCL",
  "399192008": "XCCL",
  "R-1024B": "XCCM",
  "399101009": "XCCM",
};

// PS3.16 CID 4015 (View Modifier for Mammography), SNOMED RT and CT codes.
const MODIFIER_CODES: Record<string, ViewModifier> = {
  "R-102D2": "CLEAVAGE",
  "399161006": "CLEAVAGE",
  "R-102D1": "AXILLARY_TAIL",
  "399011000": "AXILLARY_TAIL",
  "R-102D3": "ROLLED_LATERAL",
  "399197002": "ROLLED_LATERAL",
  "R-102D4": "ROLLED_MEDIAL",
  "399226006": "ROLLED_MEDIAL",
  "R-102CA": "ROLLED_INFERIOR",
  "414493004": "ROLLED_INFERIOR",
  "R-102C9": "ROLLED_SUPERIOR",
  "415670009": "ROLLED_SUPERIOR",
  "R-102D5": "IMPLANT_DISPLACED",
  "399209000": "IMPLANT_DISPLACED",
  "R-102D6": "MAGNIFICATION",
  "399163009": "MAGNIFICATION",
  "R-102D7": "SPOT_COMPRESSION",
  "399055006": "SPOT_COMPRESSION",
  "R-102C2": "TANGENTIAL",
  "399110001": "TANGENTIAL",
  "R-40AB3": "NIPPLE_IN_PROFILE",
  "442581004": "NIPPLE_IN_PROFILE",
  "P2-00161": "ANTERIOR_COMPRESSION",
  "441752004": "ANTERIOR_COMPRESSION",
  "R-40ABE": "INFRAMAMMARY_FOLD",
  "442593008": "INFRAMAMMARY_FOLD",
  "R-40AB2": "AXILLARY_TISSUE",
  "442580003": "AXILLARY_TISSUE",
};

// ACR abbreviations in View Position: base views, and the modifiers written before (M, S) or
// after (ID, RL, ...) a base view, e.g. "MCC", "SCC", "MLOID"; CV, AT and TAN stand alone.
const BASE_VIEWS = new Set(["CC", "MLO", "ML", "LM", "LMO", "FB", "SIO", "ISO", "XCCL", "XCCM", "XCC"]);
const PREFIXES: Record<string, ViewModifier> = { M: "MAGNIFICATION", S: "SPOT_COMPRESSION" };
const SUFFIXES: Record<string, ViewModifier> = {
  ID: "IMPLANT_DISPLACED",
  RL: "ROLLED_LATERAL",
  RM: "ROLLED_MEDIAL",
  RI: "ROLLED_INFERIOR",
  RS: "ROLLED_SUPERIOR",
  NP: "NIPPLE_IN_PROFILE",
  AC: "ANTERIOR_COMPRESSION",
  IMF: "INFRAMAMMARY_FOLD",
  AX: "AXILLARY_TISSUE",
};
const STANDALONE: Record<string, ViewModifier> = { CV: "CLEAVAGE", AT: "AXILLARY_TAIL", TAN: "TANGENTIAL" };

const baseView = (code: string): Pick<MammographyView, "view" | "viewCode"> =>
  code === "CC" || code === "MLO" ? { view: code } : { view: "OTHER", viewCode: code };

/**
 * A View Position value (or a manifest's view column) as view and modifiers: "CC", "XCCL",
 * "SCC" (spot compression CC), "MMLO" (magnified MLO), "CCID" (implant displaced CC), "L CC".
 * Unknown codes stay as they are: view OTHER with that code.
 */
export function parseViewPosition(text: string): MammographyView {
  const code = text.toUpperCase().replace(/[\s_-]+/g, "");
  if (!code) return { viewModifiers: [] };
  for (const candidate of [code, /^[RL]/.test(code) ? code.slice(1) : undefined]) {
    if (!candidate) continue;
    const parsed = parseAbbreviation(candidate);
    if (parsed) return parsed;
  }
  return { ...baseView(code), viewModifiers: [] };
}

function parseAbbreviation(code: string): MammographyView | undefined {
  if (STANDALONE[code]) return { view: "OTHER", viewCode: code, viewModifiers: [STANDALONE[code]] };
  for (const prefix of ["", ...Object.keys(PREFIXES)]) {
    if (!code.startsWith(prefix)) continue;
    for (const suffix of ["", ...Object.keys(SUFFIXES)]) {
      const base = code.slice(prefix.length, code.length - suffix.length);
      if (!code.endsWith(suffix) || !BASE_VIEWS.has(base)) continue;
      const modifiers = [PREFIXES[prefix], SUFFIXES[suffix]].filter((m): m is ViewModifier => m !== undefined);
      return { ...baseView(base), viewModifiers: modifiers };
    }
  }
  return undefined;
}

/**
 * The view of a DICOM mammogram: View Position (0018,5101) when it names CC or MLO, else the View
 * Code Sequence (0054,0220); modifiers from the View Modifier Code Sequence (0054,0222), inside the
 * view code item as the standard puts it or at the top level as some writers do, and from View
 * Position's abbreviations.
 */
export function readMammographyView(ds: DicomDataset, warnings: string[]): MammographyView {
  const position = parseViewPosition(stringValue(ds, "00185101") ?? "");
  const codeItem = sequenceItems(ds, "00540220")[0];
  const coded = codeItem ? viewFromCode(codeItem) : undefined;
  const modifierItems = [...(codeItem ? sequenceItems(codeItem, "00540222") : []), ...sequenceItems(ds, "00540222")];
  const modifiers = new Set<ViewModifier>(position.viewModifiers);
  for (const item of modifierItems) {
    const value = stringValue(item, "00080100");
    const known = value ? MODIFIER_CODES[value] : undefined;
    if (!known) warnings.push(`View Modifier code ${value ?? "(none)"} is not in CID 4015; recorded as OTHER`);
    modifiers.add(known ?? "OTHER");
  }
  const isPositionKnown = position.view === "CC" || position.view === "MLO";
  const view = isPositionKnown || !coded ? position : coded;
  return { view: view.view, viewCode: view.viewCode, viewModifiers: [...modifiers].sort() };
}

function viewFromCode(item: DicomDataset): Pick<MammographyView, "view" | "viewCode"> | undefined {
  const value = stringValue(item, "00080100");
  const known = value ? VIEW_CODES[value] : undefined;
  if (known) return baseView(known);
  const meaning = stringValue(item, "00080104")?.toLowerCase();
  if (meaning?.includes("cranio-caudal") && !meaning.includes("exaggerated")) return { view: "CC" };
  if (meaning?.includes("medio-lateral oblique")) return { view: "MLO" };
  if (value || meaning) return { view: "OTHER", viewCode: value ?? meaning };
  return undefined;
}
