import { ImagingError } from "../errors.ts";

export type PixelEncoding = "NATIVE" | "JPEG_LOSSLESS" | "JPEG_LS" | "JPEG_2000" | "RLE";

type TransferSyntax = { name: string; encoding: PixelEncoding };

/** The transfer syntaxes whose pixels we decode. Anything else is refused by name, never guessed. */
export const SUPPORTED_TRANSFER_SYNTAXES: Record<string, TransferSyntax> = {
  "1.2.840.10008.1.2": { name: "Implicit VR Little Endian", encoding: "NATIVE" },
  "1.2.840.10008.1.2.1": { name: "Explicit VR Little Endian", encoding: "NATIVE" },
  "1.2.840.10008.1.2.4.57": { name: "JPEG Lossless, Non-Hierarchical (Process 14)", encoding: "JPEG_LOSSLESS" },
  "1.2.840.10008.1.2.4.70": {
    name: "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])",
    encoding: "JPEG_LOSSLESS",
  },
  "1.2.840.10008.1.2.4.80": { name: "JPEG-LS Lossless", encoding: "JPEG_LS" },
  "1.2.840.10008.1.2.4.81": { name: "JPEG-LS Lossy (Near-Lossless)", encoding: "JPEG_LS" },
  "1.2.840.10008.1.2.4.90": { name: "JPEG 2000 (Lossless Only)", encoding: "JPEG_2000" },
  "1.2.840.10008.1.2.4.91": { name: "JPEG 2000", encoding: "JPEG_2000" },
  "1.2.840.10008.1.2.5": { name: "RLE Lossless", encoding: "RLE" },
};

// Names for the refusal message of syntaxes people are likely to meet.
const KNOWN_UNSUPPORTED: Record<string, string> = {
  "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
  "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
  "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
  "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
  "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
  "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile",
  "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
  "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 (Lossless Only)",
  "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000",
};

export function transferSyntaxOf(uid: string): TransferSyntax {
  const supported = SUPPORTED_TRANSFER_SYNTAXES[uid];
  if (supported) return supported;
  const name = KNOWN_UNSUPPORTED[uid];
  throw new ImagingError(
    "UNSUPPORTED_TRANSFER_SYNTAX",
    `transfer syntax ${uid}${name ? ` (${name})` : ""} is not supported; supported: ${Object.entries(
      SUPPORTED_TRANSFER_SYNTAXES,
    )
      .map(([id, s]) => `${id} ${s.name}`)
      .join("; ")}`,
  );
}
