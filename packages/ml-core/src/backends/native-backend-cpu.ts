import os from "node:os";
import type * as tf from "@tensorflow/tfjs";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";

type DataId = object;
type BackendValues = tf.backend_util.BackendValues;

/** Arrays below this many bytes come from V8's heap as usual; recycling pays for big ones. */
const MIN_POOLED_BYTES = 256 * 1024;
/**
 * Idle arrays kept at most: a quarter of the machine's memory (VGG-16 at 224x224, batch 4, keeps
 * about 2 GB idle between uses; with less, every step allocates afresh), or MAMMO_NATIVE_POOL_MB.
 */
const DEFAULT_IDLE_LIMIT_BYTES = process.env.MAMMO_NATIVE_POOL_MB
  ? Number(process.env.MAMMO_NATIVE_POOL_MB) * 2 ** 20
  : Math.min(os.totalmem() / 4, 8 * 2 ** 30);

/**
 * The cpu backend with recycled output arrays. Every fresh multi-megabyte Float32Array costs a
 * page fault per 4 KiB on first touch (about 16 us each on these VMs: 0.2 s for one 51 MB
 * activation of VGG-16 at 224x224, batch 4), several seconds per training step. The native
 * kernels therefore take their outputs from here, and an array comes back when the last tensor
 * using its buffer is disposed. Arrays handed out by readSync/read are copies, so nothing outside
 * the backend can see a recycled buffer change.
 */
export class NativeBackendCPU extends MathBackendCPU {
  private readonly idle = new Map<number, Float32Array[]>();
  private idleBytes = 0;
  private freshBytes = 0;
  private reusedBytes = 0;
  private peakIdleBytes = 0;
  /** Live tensors per pooled buffer (views such as Slice's subarray share it). */
  private readonly users = new WeakMap<ArrayBufferLike, number>();
  private readonly pooled = new WeakSet<ArrayBufferLike>();

  constructor(private readonly idleLimitBytes = DEFAULT_IDLE_LIMIT_BYTES) {
    super();
    // The cpu backend's first write logs "install tfjs-node to speed things up": not so here.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A Float32Array of this length for a kernel's output; its contents are undefined. */
  allocFloat32(length: number): Float32Array {
    if (length * 4 < MIN_POOLED_BYTES) return new Float32Array(length);
    const reused = this.idle.get(length)?.pop();
    if (reused) {
      this.idleBytes -= reused.byteLength;
      this.reusedBytes += reused.byteLength;
      return reused;
    }
    const array = new Float32Array(length);
    this.freshBytes += array.byteLength;
    this.pooled.add(array.buffer);
    return array;
  }

  override write(values: BackendValues, shape: number[], dtype: tf.DataType): DataId {
    const dataId = super.write(values, shape, dtype);
    this.track(values, 1);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    this.release(dataId);
    super.move(dataId, values, shape, dtype, refCount);
    this.track(values, 1);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const isDisposed = super.disposeData(dataId, force);
    if (isDisposed && values && !this.data.has(dataId)) this.untrack(values);
    return isDisposed;
  }

  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    return ArrayBuffer.isView(values) && this.pooled.has(values.buffer) ? (values.slice() as BackendValues) : values;
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }

  /** Bytes of output arrays: idle in the pool now, and since the start newly allocated or reused. */
  poolStats(): { idleBytes: number; peakIdleBytes: number; freshBytes: number; reusedBytes: number } {
    return {
      idleBytes: this.idleBytes,
      peakIdleBytes: this.peakIdleBytes,
      freshBytes: this.freshBytes,
      reusedBytes: this.reusedBytes,
    };
  }

  private release(dataId: DataId): void {
    if (!this.data.has(dataId)) return;
    const { values } = this.data.get(dataId);
    if (values) this.untrack(values);
  }

  private track(values: BackendValues | undefined, delta: number): void {
    if (!values || !ArrayBuffer.isView(values) || !this.pooled.has(values.buffer)) return;
    this.users.set(values.buffer, (this.users.get(values.buffer) ?? 0) + delta);
  }

  private untrack(values: BackendValues): void {
    if (!ArrayBuffer.isView(values) || !this.pooled.has(values.buffer)) return;
    const buffer = values.buffer;
    const left = (this.users.get(buffer) ?? 0) - 1;
    this.users.set(buffer, left);
    if (left > 0) return;
    // Back to the pool as the whole array it was allocated as, not as a view of it.
    const whole = new Float32Array(buffer);
    if (this.idleBytes + whole.byteLength > this.idleLimitBytes) {
      this.pooled.delete(buffer); // let it be collected
      return;
    }
    let list = this.idle.get(whole.length);
    if (!list) this.idle.set(whole.length, (list = []));
    list.push(whole);
    this.idleBytes += whole.byteLength;
    this.peakIdleBytes = Math.max(this.peakIdleBytes, this.idleBytes);
  }
}
