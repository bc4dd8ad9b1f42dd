// Minimal declarations for the untyped libraries the pipeline uses (only what we call).

declare module "dcmjs" {
  type DicomElement = { vr: string; Value?: unknown[]; _rawValue?: unknown[] };
  type DicomDataset = Record<string, DicomElement>;
  class DicomDict {
    constructor(meta: DicomDataset);
    meta: DicomDataset;
    dict: DicomDataset;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dataset: DicomDataset): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): DicomDataset;
        dictionary: Record<string, { tag: string; vr: string; name: string; vm: string; version: string }>;
        nameMap: Record<string, { tag: string; vr: string; name: string }>;
        punctuateTag(rawTag: string): string;
        unpunctuateTag(tag: string): string;
      };
    };
    log: { setLevel(level: string): void; getLogger?(name: string): { setLevel(level: string): void } };
  };
  export default dcmjs;
  export type { DicomDataset, DicomElement, DicomDict };
}

declare module "jpeg-lossless-decoder-js" {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
    numComp: number;
    xDim: number;
    yDim: number;
    precision?: number;
  }
}

declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  const factory: (options?: Record<string, unknown>) => Promise<CharlsModule>;
  export default factory;
  export type CharlsModule = {
    JpegLSDecoder: new () => {
      getEncodedBuffer(length: number): Uint8Array;
      decode(): void;
      getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
      getDecodedBuffer(): Uint8Array;
      delete(): void;
    };
  };
}

declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  const factory: (options?: Record<string, unknown>) => Promise<OpenJpegModule>;
  export default factory;
  export type OpenJpegModule = {
    J2KDecoder: new () => {
      getEncodedBuffer(length: number): Uint8Array;
      readHeader(): void;
      decode(): void;
      getFrameInfo(): {
        width: number;
        height: number;
        bitsPerSample: number;
        componentCount: number;
        isSigned: boolean;
      };
      getDecodedBuffer(): Uint8Array;
      delete(): void;
    };
  };
}

declare module "dcmjs-codecs" {
  const dcmjsCodecs: {
    NativeCodecs: { initializeAsync(options?: Record<string, unknown>): Promise<void> };
    Transcoder: new (buffer: ArrayBuffer) => {
      transcode(syntax: string, options?: Record<string, unknown>): void;
      getDicomPart10(): ArrayBuffer;
    };
    constants: { TransferSyntax: Record<string, string> };
  };
  export default dcmjsCodecs;
}
