import dcmjs, { type DicomDict } from "dcmjs";
import { describeThrown, ImagingError } from "../errors.ts";

const { DicomMessage } = dcmjs.data;
// dcmjs logs every unknown or odd element at warn level; our own errors say what matters.
dcmjs.log.setLevel("silent");
dcmjs.log.getLogger?.("validation.dcmjs").setLevel("silent");

/** Parses a DICOM Part 10 file. Any structural problem becomes MALFORMED_DICOM naming it. */
export function readDicomFile(bytes: Uint8Array): DicomDict {
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : bytes.slice().buffer;
  let parsed: DicomDict;
  try {
    parsed = DicomMessage.readFile(buffer, {
      ignoreErrors: false,
      untilTag: null,
      includeUntilTagValue: false,
      noCopy: false,
      forceStoreRaw: false,
    });
  } catch (error) {
    throw new ImagingError("MALFORMED_DICOM", `DICOM file could not be parsed: ${plain(describeThrown(error))}`, {
      cause: error,
    });
  }
  if (!parsed.meta?.["00020010"])
    throw new ImagingError("MALFORMED_DICOM", "DICOM meta header has no Transfer Syntax UID (0002,0010)");
  return parsed;
}

// dcmjs messages sometimes embed huge offset lists; keep the message readable.
const plain = (message: string) => (message.length > 200 ? `${message.slice(0, 200)}...` : message);
