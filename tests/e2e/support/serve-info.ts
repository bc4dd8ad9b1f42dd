import { readFileSync } from "node:fs";
import { E2E_DATA_DIR } from "../../../playwright.config.ts";

/** What tests/e2e/serve.ts tells the tests about the platform it started, next to its DATA_DIR. */
export const serveInfoFile = (dataDir: string) => `${dataDir}.serve.json`;

export type ServeInfo = { embeddedPgPort: string | null };

export const readServeInfo = (): ServeInfo =>
  JSON.parse(readFileSync(serveInfoFile(E2E_DATA_DIR), "utf8")) as ServeInfo;
