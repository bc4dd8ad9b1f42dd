import { randomBytes } from "node:crypto";
import { DicomwebError } from "./dicomweb-error.ts";

export type MultipartPart = { contentType?: string; body: Uint8Array };

/** The boundary parameter of a multipart Content-Type header (quoted or not). */
export function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new DicomwebError("BAD_RESPONSE", `multipart response without a boundary (${contentType})`);
  return boundary;
}

/**
 * Splits a multipart/related body (RFC 2046) into its parts. Each part's body is a view into
 * `body` (no copy): WADO-RS instances are large and arrive one response at a time.
 */
export function parseMultipart(body: Uint8Array, contentType: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parts: MultipartPart[] = [];
  let at = buf.indexOf(delimiter);
  if (at < 0) throw new DicomwebError("BAD_RESPONSE", "multipart response without its boundary");
  for (;;) {
    let start = at + delimiter.length;
    if (buf[start] === 0x2d && buf[start + 1] === 0x2d) break; // closing delimiter "--boundary--"
    start = buf.indexOf("\r\n", start) + 2;
    const headerEnd = buf.indexOf("\r\n\r\n", start - 2);
    if (start < 2 || headerEnd < 0) throw new DicomwebError("BAD_RESPONSE", "multipart part without headers");
    const headers = buf.subarray(start, headerEnd).toString("latin1");
    const next = buf.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) throw new DicomwebError("BAD_RESPONSE", "multipart response is truncated (no closing boundary)");
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    parts.push({ contentType, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}

/** A multipart/related body of DICOM files, for STOW-RS. */
export function buildMultipart(files: Uint8Array[], partType = "application/dicom") {
  const boundary = `mammo-${randomBytes(12).toString("hex")}`;
  const chunks: Uint8Array[] = [];
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`), file, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="${partType}"; boundary=${boundary}`,
  };
}
