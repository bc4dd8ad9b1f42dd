import type { Db } from "@mammo/db";
import type { JobQueue } from "@mammo/jobs";
import type { BlobStore } from "@mammo/storage";
import type { OidcVerifier } from "../auth/oidc.ts";
import type { Viewer } from "../auth/viewer.ts";
import { AppError } from "../errors/app-error.ts";

/** `jobs`: the pg-boss queue the API enqueues into (training, inference, evaluation); it never works jobs. */
export type Services = { db: Db; blobs: BlobStore; jobs: JobQueue };

export type GraphQLContext = Services & {
  viewer: Viewer | null;
  requestId: string;
  /** The browser's address: X-Forwarded-For is believed only from trusted proxies (config). */
  clientIp: string;
  /** ID-token verification for single sign-on; null when no OpenID Connect issuer is configured. */
  oidc: OidcVerifier | null;
  /** NEXTAUTH_SECRET: seals PACS credentials (and the PACS identity map) at rest. */
  sealingSecret: string;
};

/** The viewer, or UNAUTHENTICATED: for resolvers behind the `authenticated` scope. */
export function requireViewer(ctx: GraphQLContext): Viewer {
  if (!ctx.viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
  return ctx.viewer;
}
