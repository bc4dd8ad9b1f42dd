import { createHash, randomBytes } from "node:crypto";

export const API_TOKEN_PREFIX = "mmp_";

export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);
