// Entry of an ingest pool worker thread (Piscina loads it). The package ships TypeScript source:
// the worker compiles it with tsx (a worker does not inherit its parent's module hooks).
import { register } from "tsx/esm/api";

register();
const worker = await import("./ingest-worker.ts");
export default worker.default;
// The API's screen levels of an image the import did not derive (Piscina's `name` option).
export const deriveLevels = worker.deriveLevelsTask;
