import { ImagingError } from "../errors.ts";

export type FileFormat = "DICOM" | "PNG" | "JPEG";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The file's format from its content (magic bytes); the name or extension is never trusted. */
export function detectFormat(bytes: Uint8Array): FileFormat {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d)
    return "DICOM";
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "PNG";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "JPEG";
  if (looksLikeRawDicomDataset(bytes)) {
    throw new ImagingError(
      "MALFORMED_DICOM",
      "DICOM file has no Part 10 preamble and meta header (no 'DICM' at byte 128)",
    );
  }
  throw new ImagingError("UNSUPPORTED_FORMAT", "unrecognised file content: expected DICOM (Part 10), PNG or JPEG");
}

// A bare dataset (no preamble) usually starts with a group 0x0002 or 0x0008 element, little endian.
function looksLikeRawDicomDataset(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && (bytes[0] === 0x02 || bytes[0] === 0x08) && bytes[1] === 0x00 && bytes[3] === 0x00;
}
