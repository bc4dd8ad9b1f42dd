import type { ApiToken } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { userSummaries, UserSummaryRef } from "../users/user.schema.ts";
import {
  createApiToken,
  listMyApiTokens,
  listSiteApiTokens,
  loadVisibleApiTokens,
  revokeApiToken,
} from "./api-token.service.ts";

export const ApiTokenRef = builder.objectRef<ApiToken>("ApiToken");
builder.node(ApiTokenRef, {
  id: { resolve: (t) => t.id },
  description:
    "A personal API token (send it as `Authorization: Bearer mmp_...`); the secret itself is shown only once",
  loadMany: (ids, ctx) => loadVisibleApiTokens(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString("name"),
    tokenPrefix: t.exposeString("tokenPrefix", { description: "The first characters of the secret, to recognise it" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    isActive: t.boolean({ resolve: (token) => !token.revokedAt && token.expiresAt > new Date() }),
    owner: t.field({
      type: UserSummaryRef,
      description: "The person the token acts as",
      resolve: (token, _args, ctx) => userSummaries(ctx).load(token.userId),
    }),
  }),
});

const CreatedApiTokenRef = builder.objectRef<{ token: ApiToken; secret: string }>("CreatedApiToken").implement({
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, resolve: (c) => c.token }),
    secret: t.exposeString("secret", { description: "Shown only now: it is stored hashed and cannot be shown again" }),
  }),
});

builder.queryField("myApiTokens", (t) =>
  t.field({
    type: [ApiTokenRef],
    authScopes: { authenticated: true },
    description: "The signed-in user's API tokens, newest first",
    resolve: (_root, _args, ctx) => listMyApiTokens(ctx.db, requireViewer(ctx)),
  }),
);

builder.queryField("siteApiTokens", (t) =>
  t.field({
    type: [ApiTokenRef],
    authScopes: { authenticated: true },
    description: "The API tokens of a site's people, newest first (the site's admins, who may revoke them)",
    args: { siteId: t.arg.globalID({ required: true, for: SiteRef }) },
    resolve: (_root, args, ctx) => listSiteApiTokens(ctx.db, requireViewer(ctx), args.siteId.id),
  }),
);

const CreateApiTokenInput = builder.inputType("CreateApiTokenInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    expiresInDays: t.int({ required: false, description: "1 to 365; 90 when left out" }),
  }),
});

builder.mutationField("createApiToken", (t) =>
  t.field({
    type: CreatedApiTokenRef,
    authScopes: { authenticated: true },
    description: "A new personal API token (from a web session only)",
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createApiToken(
        ctx.db,
        requireViewer(ctx),
        { name: input.name, expiresInDays: input.expiresInDays ?? undefined },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("revokeApiToken", (t) =>
  t.field({
    type: ApiTokenRef,
    authScopes: { authenticated: true },
    description: "Revokes a token: one's own, or one of a person of a site where one is ADMIN",
    args: { id: t.arg.globalID({ required: true, for: ApiTokenRef }) },
    resolve: (_root, args, ctx) => revokeApiToken(ctx.db, requireViewer(ctx), args.id.id, { requestId: ctx.requestId }),
  }),
);
