import { z } from "zod";

const optional = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const envSchema = z.object({
  // Production behaviour unless development is asked for explicitly (introspection, suggestions).
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters (shared with the web app)"),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  TRUSTED_PROXIES: z.string().default("loopback"),
  OIDC_ISSUER: optional.pipe(z.url("OIDC_ISSUER must be the issuer's URL").optional()),
  OIDC_CLIENT_ID: optional,
  OIDC_TRUST_EMAIL: optional.pipe(z.enum(["0", "1"], "OIDC_TRUST_EMAIL must be 0 or 1").optional()),
  API_DATABASE_URL: optional,
  API_DATABASE_ROLE: optional.pipe(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "API_DATABASE_ROLE must be a lower-case PostgreSQL identifier")
      .optional(),
  ),
});

/**
 * `trustsEmail`: the operator vouches for the issuer's emails, so a token without
 * `email_verified` links by email (Microsoft Entra ID sends none for organisation accounts).
 * An explicit `email_verified: false` is refused whatever this says.
 */
export type OidcConfig = { issuer: string; clientId: string; trustsEmail: boolean };

export type ApiConfig = {
  isProduction: boolean;
  port: number;
  sessionSecret: string;
  maxUploadBytes: number;
  maxRequestBytes: number;
  /**
   * Addresses whose X-Forwarded-For the API believes (Express "trust proxy" values: "loopback",
   * IPs, CIDRs). The web app's server calls `login` on the browser's behalf from one of them.
   */
  trustedProxies: string[];
  /** The OpenID Connect issuer whose ID tokens `signInWithOidc` accepts; null when SSO is off. */
  oidc: OidcConfig | null;
  /**
   * The database login the API runs as. `url` set: use it as given (a DML-only role prepared by
   * the operator). Unset: the API derives a DML-only role named `role` from the owner's
   * DATABASE_URL at start (lib/database-role.ts).
   */
  database: { url?: string; role: string };
};

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = result.data;
  if (Boolean(e.OIDC_ISSUER) !== Boolean(e.OIDC_CLIENT_ID)) {
    throw new Error(
      `invalid configuration: ${e.OIDC_ISSUER ? "OIDC_CLIENT_ID" : "OIDC_ISSUER"}: single sign-on needs both OIDC_ISSUER and OIDC_CLIENT_ID`,
    );
  }
  return {
    isProduction: e.NODE_ENV !== "development",
    port: e.API_PORT,
    sessionSecret: e.NEXTAUTH_SECRET,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    trustedProxies: e.TRUSTED_PROXIES.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, trustsEmail: e.OIDC_TRUST_EMAIL === "1" }
        : null,
    database: { url: e.API_DATABASE_URL, role: e.API_DATABASE_ROLE ?? "mammo_api" },
  };
}
