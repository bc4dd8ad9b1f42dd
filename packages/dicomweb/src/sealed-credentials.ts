import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { DicomwebAuth } from "./dicomweb-client.ts";
import { DicomwebError } from "./dicomweb-error.ts";

// AES-256-GCM with a key derived (HKDF-SHA256) from the platform's secret: the database alone
// does not reveal a PACS password or token. Format: "v1.<iv>.<tag>.<ciphertext>" (base64url).
const INFO = "mammo pacs credentials v1";

function keyOf(secret: string): Buffer {
  if (secret.length < 16)
    throw new DicomwebError("INVALID_CONFIG", "the secret that seals PACS credentials is too short");
  return Buffer.from(hkdfSync("sha256", secret, "mammo-pacs", INFO, 32));
}

/** Seals a PACS authentication with the platform's secret, bound to the connection's id. */
export function sealCredentials(secret: string, connectionId: string, auth: DicomwebAuth): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(Buffer.from(connectionId));
  const body = Buffer.concat([cipher.update(JSON.stringify(auth), "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Opens what sealCredentials wrote; a wrong secret or a sealed value moved to another connection fails clearly. */
export function openCredentials(secret: string, connectionId: string, sealed: string): DicomwebAuth {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined)
    throw new DicomwebError("INVALID_CONFIG", "the stored PACS credentials are not in a known format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(connectionId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as DicomwebAuth;
  } catch (error) {
    throw new DicomwebError(
      "INVALID_CONFIG",
      "the stored PACS credentials cannot be opened with this secret (was NEXTAUTH_SECRET changed?): enter them again",
      { cause: error },
    );
  }
}
