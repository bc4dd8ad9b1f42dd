import { realpath } from "node:fs/promises";
import path from "node:path";
import { ImagingError } from "../errors.ts";

// Names from manifests and uploads are data, never paths we trust: printable, no control bytes,
// no NUL, no backslashes, bounded length.
// eslint-disable-next-line no-control-regex -- control bytes are exactly what this refuses
const SAFE_NAME = /^[^\0-\x1f\x7f\\]{1,255}$/;

/** Checks a manifest `file` value; throws INVALID_FILE_NAME naming the problem. */
export function assertSafeRelativeName(name: string): void {
  if (!SAFE_NAME.test(name))
    throw new ImagingError(
      "INVALID_FILE_NAME",
      `file name ${JSON.stringify(name)} has control characters, backslashes or a bad length`,
    );
  if (path.posix.isAbsolute(name) || /^[A-Za-z]:/.test(name))
    throw new ImagingError(
      "INVALID_FILE_NAME",
      `file name ${JSON.stringify(name)} is absolute; give a path inside the import folder`,
    );
  if (name.split("/").some((part) => part === ".." || part === ""))
    throw new ImagingError(
      "INVALID_FILE_NAME",
      `file name ${JSON.stringify(name)} leaves the import folder or has empty parts`,
    );
}

/** Resolves a manifest name inside `rootDir`, following symlinks, and refuses anything outside it. */
export async function resolveInside(rootDir: string, name: string): Promise<string> {
  assertSafeRelativeName(name);
  const root = await realpath(rootDir);
  let resolved: string;
  try {
    resolved = await realpath(path.join(root, name));
  } catch {
    throw new ImagingError("FILE_NOT_FOUND", `file ${JSON.stringify(name)} does not exist in the import folder`);
  }
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new ImagingError("INVALID_FILE_NAME", `file ${JSON.stringify(name)} resolves outside the import folder`);
  return resolved;
}
