import { ImagingError } from "../errors.ts";

/**
 * A manifest's text. UTF-8 (with or without a byte order mark) and UTF-16 with its byte order mark
 * are read; anything else is refused, naming the line and byte, rather than guessed: a Latin-1
 * "é" read as UTF-8 silently becomes "\uFFFD" in a note and a file name that is never found.
 */
export function decodeManifest(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const bad = firstInvalidUtf8(bytes, start);
  if (bad === undefined) return new TextDecoder("utf-8").decode(bytes.subarray(start));
  let line = 1;
  for (let i = start; i < bad; i++) if (bytes[i] === 0x0a) line++;
  const byte = bytes[bad]!;
  const latin1 = byte >= 0xa0 ? `, which Latin-1 / Windows-1252 would show as "${String.fromCharCode(byte)}"` : "";
  throw new ImagingError(
    "INVALID_MANIFEST",
    `manifest is not UTF-8: line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")}${latin1}. ` +
      `Save it as UTF-8 (e.g. "CSV UTF-8" in a spreadsheet) and import again`,
  );
}

// Index of the first byte that does not start or continue a well-formed UTF-8 sequence.
function firstInvalidUtf8(bytes: Uint8Array, start: number): number | undefined {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second >= 0xa0)) return i;
    if ((b === 0xf0 && second < 0x90) || (b === 0xf4 && second >= 0x90)) return i;
    i += length;
  }
  return undefined;
}
