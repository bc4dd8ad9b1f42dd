// Test fixtures: Keras .h5 weights files written by an independent HDF5 writer (h5py, Debian's
// python3-h5py; CI installs it) in the layout of Keras' vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../test/fixtures/write_keras_vgg16_h5.py", import.meta.url));
/** Debian's python, where python3-h5py is installed (a pyenv python may come first on PATH). */
export const H5PY_PYTHON = "/usr/bin/python3";

export type KerasH5FixtureOptions = {
  seed?: number;
  /** Filters relative to VGG-16 (1 = VGG-16 itself, 59 MB). */
  scale?: number;
  names?: "keras2" | "keras1";
  /** Writes that weight with another shape, e.g. "block3_conv2:kernel:3,3,256,128". */
  breakWeight?: string;
  /** Leaves a convolution layer out. */
  dropLayer?: string;
};

/** Writes random VGG16 weights in Keras' .h5 layout to `file` (see the script for the layout). */
export function writeKerasVgg16H5(file: string, options: KerasH5FixtureOptions = {}): string {
  execFileSync(H5PY_PYTHON, [
    SCRIPT,
    file,
    "--seed",
    String(options.seed ?? 0),
    "--scale",
    String(options.scale ?? 1),
    "--names",
    options.names ?? "keras2",
    ...(options.breakWeight ? ["--break", options.breakWeight] : []),
    ...(options.dropLayer ? ["--drop", options.dropLayer] : []),
  ]);
  return file;
}

/** A dataset's values as h5py reads them (the independent reader). */
export function h5pyValues(file: string, dataset: string): number[] {
  const script = `import h5py, json, sys; print(json.dumps(h5py.File(sys.argv[1], "r")[sys.argv[2]][()].ravel().tolist()))`;
  return JSON.parse(execFileSync(H5PY_PYTHON, ["-c", script, file, dataset], { encoding: "utf8" })) as number[];
}
