export {
  FULL_DEPTH_VERSION,
  PixelFormatError,
  frameFullDepthPixels,
  parseFullDepthPixels,
  type FullDepthHeader,
  type FullDepthImage,
} from "./full-depth-pixels.ts";
export { MAX_LEVEL, buildPyramid, halveLevel, levelOf, levelSidePx, type PyramidLevel } from "./pyramid.ts";
