export {
  loadNativeKernels,
  type NativeKernels,
  type NativeKernelsInfo,
  type NativeKernelsLoad,
} from "./load-native-kernels.ts";
export {
  ACTIVATION_CODES,
  BINARY_OPS,
  BROADCASTS,
  UNARY_OPS,
  type NativeActivation,
  type NativeBinaryOp,
  type NativeBroadcast,
  type NativeUnaryOp,
} from "./native-kernels.types.ts";
