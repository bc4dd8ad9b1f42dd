// The installation's own folder (`.data/`, or DATA_DIR): the embedded PostgreSQL's data, the
// local blob store and secrets.json. Nobody but its owner may read it.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type LocalSecretName = "sessionSecret" | "deidSecret" | "postgresPassword";

/** DATA_DIR, else `<root>/.data`. */
export function localDataDir(rootDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DATA_DIR?.trim() || path.join(rootDir, ".data"));
}

/**
 * Creates the folder (and its parents) if missing and makes it private: 0700, so no other local
 * user can list or read it. Running as root, the embedded PostgreSQL runs as the OS user
 * "postgres" and must pass through the installation's folder to its own data folder: then 0711
 * (enter, not list or read), unless `isOnPostgresPath` is false (e.g. the blob store).
 */
export function ensurePrivateDir(dir: string, options: { isOnPostgresPath?: boolean } = {}): void {
  mkdirSync(path.dirname(dir), { recursive: true }); // parents as usual: only this folder is private
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  const mode = options.isOnPostgresPath !== false && os.userInfo().uid === 0 ? 0o711 : 0o700;
  if ((statSync(dir).mode & 0o777) !== mode) chmodSync(dir, mode);
}

function secretsFile(dataDir: string) {
  return path.join(dataDir, "secrets.json");
}

export function readLocalSecrets(dataDir: string): Partial<Record<LocalSecretName, string>> {
  const file = secretsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Record<LocalSecretName, string>>) : {};
}

/**
 * A secret of this installation from `<dataDir>/secrets.json` (mode 0600), generated there on
 * first use: 32 random bytes, base64url. Each program that needs one (npm start, the CLIs) reads
 * the same file, so they agree.
 */
export function localSecret(dataDir: string, name: LocalSecretName): string {
  const stored = readLocalSecrets(dataDir);
  const known = stored[name];
  if (known) return known;
  const value = randomBytes(32).toString("base64url");
  writeLocalSecrets(dataDir, { [name]: value });
  return value;
}

/** Merges values into secrets.json, written whole to a temporary file first (never half-written). */
export function writeLocalSecrets(dataDir: string, values: Partial<Record<LocalSecretName, string>>): void {
  ensurePrivateDir(dataDir);
  const file = secretsFile(dataDir);
  const merged = { ...readLocalSecrets(dataDir), ...values };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, JSON.stringify(merged, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}
