import { createHash } from "node:crypto";
import { endianness } from "node:os";
import type { GreyImage } from "../grey-image.ts";

/**
 * "Identical pixel content": the sha256 of the decoded stored values, whatever the container.
 * A PNG re-encoded with other settings, a JPEG-LS DICOM and its uncompressed twin, or a DICOM and
 * a PNG of the same 8- or 16-bit values hash alike; metadata (de-identified headers, PNG chunks,
 * photometric interpretation, windows) does not count. Hashed: "width x height, signedness",
 * then every sample as a 16-bit little-endian word, row by row.
 */
export function pixelSha256(image: GreyImage): string {
  const hash = createHash("sha256").update(`${image.widthPx}x${image.heightPx}:${image.isSigned ? "s" : "u"}\n`);
  const { samples } = image;
  const words = samples instanceof Uint8Array ? Uint16Array.from(samples) : samples;
  const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  // Typed arrays hold the machine's byte order; the hash is defined on little-endian words.
  hash.update(endianness() === "LE" ? bytes : Buffer.from(bytes).swap16());
  return hash.digest("hex");
}
