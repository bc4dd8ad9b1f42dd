import type { DicomDataset } from "dcmjs";

// Defensive readers over a dcmjs (denaturalized) dataset: real files carry malformed values, and
// one bad value must not stop an import. Each returns undefined for a missing or unusable value.

export function rawValues(dataset: DicomDataset, tag: string): unknown[] {
  const element = dataset[tag];
  return Array.isArray(element?.Value) ? element.Value : [];
}

export function stringValue(dataset: DicomDataset, tag: string, index = 0): string | undefined {
  const value = rawValues(dataset, tag)[index];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && value !== null && "Alphabetic" in value)
    return String((value as { Alphabetic: unknown }).Alphabetic ?? "");
  if (typeof value === "string" || typeof value === "number") {
    const text = String(value).replace(/\0/g, "").trim();
    return text === "" ? undefined : text;
  }
  return undefined;
}

/** All values of a multi-valued string element (e.g. "40\\80" as DS). */
export function stringValues(dataset: DicomDataset, tag: string): string[] {
  return rawValues(dataset, tag)
    .map((_, i) => stringValue(dataset, tag, i))
    .filter((v): v is string => v !== undefined)
    .flatMap((v) => v.split("\\"))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export function numberValue(dataset: DicomDataset, tag: string, index = 0): number | undefined {
  const values = rawValues(dataset, tag);
  const value = values[index];
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") {
    const n = Number(value.trim());
    return value.trim() !== "" && Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function numberValues(dataset: DicomDataset, tag: string): number[] {
  const element = dataset[tag];
  if (!element?.Value) return [];
  return element.Value.flatMap((v) => (typeof v === "string" ? v.split("\\") : [v]))
    .map((v) => (typeof v === "number" ? v : Number(String(v).trim())))
    .filter((n) => Number.isFinite(n));
}

export function sequenceItems(dataset: DicomDataset, tag: string): DicomDataset[] {
  return rawValues(dataset, tag).filter(
    (item): item is DicomDataset =>
      typeof item === "object" && item !== null && !Array.isArray(item) && !(item instanceof ArrayBuffer),
  );
}
