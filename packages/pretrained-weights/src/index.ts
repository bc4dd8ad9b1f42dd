// The registry of pretrained weights (Keras .h5): files uploaded once per site, checked, stored
// content-addressed; training runs refer to them by id, never by a path.
export { PretrainedWeightsError } from "./weights-error.ts";
export { registerPretrainedWeights, WEIGHTS_MEDIA_TYPE, type RegisterWeightsInput } from "./register-weights.ts";
export { chooseRunWeights, loadRegisteredWeights, rawWeightsId } from "./weights-for-run.ts";
