import type { Db } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import type { Viewer } from "../auth/viewer.ts";
import { AppError } from "../errors/app-error.ts";

export type Services = { db: Db; blobs: BlobStore };

export type GraphQLContext = Services & {
  viewer: Viewer | null;
  requestId: string;
  clientIp: string;
};

/** The viewer, or UNAUTHENTICATED: for resolvers behind the `authenticated` scope. */
export function requireViewer(ctx: GraphQLContext): Viewer {
  if (!ctx.viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
  return ctx.viewer;
}
