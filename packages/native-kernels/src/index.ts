export { loadNativeKernels, type NativeKernels, type NativeKernelsInfo, type NativeKernelsLoad } from "./load-native-kernels.ts";
export { ACTIVATION_CODES, type NativeActivation } from "./native-kernels.types.ts";
