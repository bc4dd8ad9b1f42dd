import { localDataDir, localSecret } from "@mammo/db";

/**
 * DEID_SECRET from the environment, else the one `npm start` keeps in .data/secrets.json (created
 * there when missing), so the CLI and the running platform map UIDs and dates the same way.
 */
export function loadDeidSecret(rootDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DEID_SECRET || localSecret(localDataDir(rootDir, env), "deidSecret");
}
