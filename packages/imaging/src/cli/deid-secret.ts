import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * DEID_SECRET from the environment, else the one `npm start` keeps in .data/secrets.json (created
 * there when missing), so the CLI and the running platform map UIDs and dates the same way.
 */
export function loadDeidSecret(rootDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEID_SECRET) return env.DEID_SECRET;
  const file = path.join(rootDir, ".data", "secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { deidSecret?: string }) : {};
  if (stored.deidSecret) return stored.deidSecret;
  const deidSecret = randomBytes(32).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, JSON.stringify({ ...stored, deidSecret }, null, 2), { mode: 0o600 });
  return deidSecret;
}
