export {
  FULL_DEPTH_VERSION,
  PixelFormatError,
  frameFullDepthPixels,
  parseFullDepthPixels,
  type FullDepthHeader,
  type FullDepthImage,
} from "./full-depth-pixels.ts";
