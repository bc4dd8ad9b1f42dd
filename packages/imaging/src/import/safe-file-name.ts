import { realpath } from "node:fs/promises";
import path from "node:path";
import { ImagingError } from "../errors.ts";

// Names from manifests and uploads are data, never paths we trust: printable, no control bytes,
// no NUL, no backslashes, bounded length. Messages never repeat a name: errors are stored with the
// import, and a file name may identify a patient (the importer prints names next to row numbers).
// eslint-disable-next-line no-control-regex -- control bytes are exactly what this refuses
const SAFE_NAME = /^[^\0-\x1f\x7f\\]{1,255}$/;

/** Checks a manifest `file` value; throws INVALID_FILE_NAME naming the problem. */
export function assertSafeRelativeName(name: string): void {
  if (!SAFE_NAME.test(name))
    throw new ImagingError("INVALID_FILE_NAME", "the file name has control characters, backslashes or a bad length");
  if (path.posix.isAbsolute(name) || /^[A-Za-z]:/.test(name))
    throw new ImagingError("INVALID_FILE_NAME", "the file name is absolute; give a path inside the import folder");
  if (name.split("/").some((part) => part === ".." || part === ""))
    throw new ImagingError("INVALID_FILE_NAME", "the file name leaves the import folder or has empty parts");
}

/**
 * Resolves a manifest name inside `rootDir`, following symlinks, and refuses anything outside it.
 * Accented names are tried composed (NFC, as typed on most systems) and decomposed (NFD, as macOS
 * writes them), so "lésion.png" is found whichever form the disk and the manifest use.
 */
export async function resolveInside(rootDir: string, name: string): Promise<string> {
  assertSafeRelativeName(name);
  const root = await realpath(rootDir);
  let resolved: string | undefined;
  for (const form of new Set([name, name.normalize("NFC"), name.normalize("NFD")])) {
    resolved = await realpath(path.join(root, form)).catch(() => undefined);
    if (resolved) break;
  }
  if (!resolved) throw new ImagingError("FILE_NOT_FOUND", "the file does not exist in the import folder");
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new ImagingError("INVALID_FILE_NAME", "the file resolves outside the import folder");
  return resolved;
}
