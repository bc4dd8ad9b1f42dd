import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { decodeGreyImage, encodeGreyPng, type GreyImage } from "./grey-image.ts";
import type { PreprocessingSettings } from "./preprocess-settings.ts";
import { placementFor, prepareGreyImage, preprocessImages } from "./preprocess.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const filled = (
  width: number,
  height: number,
  value: number,
  Kind: typeof Uint8Array | typeof Uint16Array = Uint8Array,
): GreyImage => ({ width, height, data: new Kind(width * height).fill(value) });
const square32: PreprocessingSettings = {
  inputSize: 32,
  resize: "square",
  resample: "box-bilinear",
  bitDepth: 8,
  normalization: "unit",
};

describe("prepareGreyImage", () => {
  it("scales 8-bit, 16-bit and 12-bit-in-16 images to 0..1", () => {
    expect(prepareGreyImage(filled(40, 50, 51), square32).pixels[0]).toBeCloseTo(0.2, 5);
    expect(prepareGreyImage(filled(40, 50, 32768, Uint16Array), square32).pixels[100]).toBeCloseTo(0.5, 4);
    expect(prepareGreyImage({ ...filled(40, 50, 4095, Uint16Array), maxValue: 4095 }, square32).pixels[7]).toBeCloseTo(
      1,
      5,
    );
  });

  it("stretches to a square, or keeps the aspect ratio and pads with black", () => {
    const wide = filled(100, 50, 255);
    const square = prepareGreyImage(wide, square32);
    expect(Math.min(...square.pixels)).toBeCloseTo(1, 5);

    const padded = prepareGreyImage(wide, { ...square32, resize: "pad" });
    expect(padded.placement).toEqual({
      sourceWidth: 100,
      sourceHeight: 50,
      offsetX: 0,
      offsetY: 8,
      contentWidth: 32,
      contentHeight: 16,
    });
    const row = (y: number) => Array.from(padded.pixels.subarray(y * 32, y * 32 + 32));
    expect(row(7).every((v) => v === 0)).toBe(true);
    expect(row(8).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(row(23).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(row(24).every((v) => v === 0)).toBe(true);
    expect(placementFor(50, 100, { ...square32, resize: "pad" })).toMatchObject({
      offsetX: 8,
      offsetY: 0,
      contentWidth: 16,
    });
  });

  it("averages when shrinking a lot instead of aliasing (a 1-pixel checkerboard becomes mid-grey)", () => {
    const size = 256;
    const data = new Uint8Array(size * size).map((_, i) => (((i % size) + Math.floor(i / size)) % 2 ? 255 : 0));
    const { pixels } = prepareGreyImage({ width: size, height: size, data }, square32);
    expect(Math.min(...pixels)).toBeGreaterThan(0.45);
    expect(Math.max(...pixels)).toBeLessThan(0.55);
  });

  it("names the problem in a malformed image", () => {
    expect(() => prepareGreyImage({ width: 10, height: 10, data: new Uint8Array(99) }, square32)).toThrow(
      /image: has 99 pixels but 10x10 needs 100/,
    );
    expect(() => prepareGreyImage(filled(10, 10, 1), { ...square32, inputSize: 8 })).toThrow(/preprocessing.inputSize/);
  });
});

describe("preprocessImages", () => {
  it("gives three equal channels in 0..1, or ImageNet caffe mean subtraction", () => {
    const unit = preprocessImages([filled(40, 40, 255), filled(40, 40, 0)], square32);
    expect(unit.shape).toEqual([2, 32, 32, 3]);
    expect(Array.from(unit.slice([0, 5, 5, 0], [1, 1, 1, 3]).dataSync())).toEqual([1, 1, 1]);
    const caffe = preprocessImages([filled(40, 40, 255)], { ...square32, normalization: "imagenet-caffe" });
    const px = Array.from(caffe.slice([0, 0, 0, 0], [1, 1, 1, 3]).dataSync());
    [255 - 103.939, 255 - 116.779, 255 - 123.68].forEach((v, i) => expect(px[i]).toBeCloseTo(v, 3));
    tf.dispose([unit, caffe]);
  });
});

describe("decodeGreyImage / encodeGreyPng", () => {
  it("round-trips 8-bit and 16-bit PNG and turns colour into grey", async () => {
    const img16: GreyImage = { width: 3, height: 2, data: Uint16Array.from([0, 1000, 4095, 30000, 65535, 7]) };
    const back16 = await decodeGreyImage(await encodeGreyPng(img16));
    expect(back16.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(back16.data)).toEqual(Array.from(img16.data));

    const img8: GreyImage = { width: 2, height: 2, data: Uint8Array.from([0, 50, 200, 255]) };
    expect(Array.from((await decodeGreyImage(await encodeGreyPng(img8))).data)).toEqual([0, 50, 200, 255]);

    const rgb = await sharp(Buffer.from([90, 90, 90, 200, 200, 200]), { raw: { width: 2, height: 1, channels: 3 } })
      .png()
      .toBuffer();
    const grey = await decodeGreyImage(rgb);
    expect([grey.width, grey.height, ...grey.data]).toEqual([2, 1, 90, 200]);
  });

  it("rejects bytes that are not an image", async () => {
    await expect(decodeGreyImage(new Uint8Array([1, 2, 3]))).rejects.toThrow(/image: cannot be decoded/);
  });
});
