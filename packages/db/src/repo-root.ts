import { fileURLToPath } from "node:url";

/** The monorepo's root directory (where .data/ and prisma/ live). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
