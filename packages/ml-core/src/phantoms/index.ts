// TensorFlow-free entry (`@mammo/ml-core/phantoms`): the demo seed draws its images with it.
export {
  generatePhantom,
  generatePhantomSet,
  PHANTOM_CLASSES,
  type Phantom,
  type PhantomClass,
  type PhantomOptions,
  type PhantomLesion,
} from "./generate-phantom.ts";
