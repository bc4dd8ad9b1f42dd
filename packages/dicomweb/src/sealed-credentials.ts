import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { DicomwebAuth } from "./dicomweb-client.ts";
import { DicomwebError } from "./dicomweb-error.ts";

// AES-256-GCM with a key derived (HKDF-SHA256) from the platform's secret: the database alone
// reveals no PACS password or token and no original patient identifier. The associated data
// binds a sealed value to its row. Format: "v1.<iv>.<tag>.<ciphertext>" (base64url).
const INFO = "mammo pacs sealed values v1";

function keyOf(secret: string): Buffer {
  if (secret.length < 16) throw new DicomwebError("INVALID_CONFIG", "the secret that seals PACS values is too short");
  return Buffer.from(hkdfSync("sha256", secret, "mammo-pacs", INFO, 32));
}

export function sealJson(secret: string, boundTo: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return ["v1", ...[iv, cipher.getAuthTag(), body].map((p) => p.toString("base64url"))].join(".");
}

export function openJson<T>(secret: string, boundTo: string, sealed: string): T {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined)
    throw new DicomwebError("INVALID_CONFIG", "a sealed PACS value is not in a known format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8"),
    ) as T;
  } catch (error) {
    throw new DicomwebError(
      "INVALID_CONFIG",
      "a sealed PACS value cannot be opened with this secret (was NEXTAUTH_SECRET changed? then enter the PACS credentials again)",
      { cause: error },
    );
  }
}

/** A connection's authentication, sealed for its row. */
export const sealCredentials = (secret: string, connectionId: string, auth: DicomwebAuth) =>
  sealJson(secret, `pacs-connection:${connectionId}`, auth);

export const openCredentials = (secret: string, connectionId: string, sealed: string) =>
  openJson<DicomwebAuth>(secret, `pacs-connection:${connectionId}`, sealed);
