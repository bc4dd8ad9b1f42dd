import { z } from "zod";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters (shared with the web app)"),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
});

export type ApiConfig = {
  isProduction: boolean;
  port: number;
  sessionSecret: string;
  maxUploadBytes: number;
  maxRequestBytes: number;
};

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = result.data;
  return {
    isProduction: e.NODE_ENV === "production",
    port: e.API_PORT,
    sessionSecret: e.NEXTAUTH_SECRET,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
  };
}
