import type { User } from "@mammo/db";
import { encodeGlobalID, resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { AppError } from "../../errors/app-error.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { RoleEnum } from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { MembershipRef } from "../memberships/membership.schema.ts";
import { SiteRef } from "../sites/site.schema.ts";
import {
  createUser,
  listSiteMembers,
  loadMembershipsByUserIds,
  loadUserSummaries,
  loadVisibleUsers,
  setUserDisabled,
  unlinkSingleSignOn,
  type UserCursor,
} from "./user.service.ts";

/** A name to show next to a record (label author, decider): no email, no memberships. */
export const UserSummaryRef = builder.objectRef<{ id: string; name: string }>("UserSummary").implement({
  fields: (t) => ({ id: t.id({ resolve: (u) => encodeGlobalID("User", u.id) }), name: t.exposeString("name") }),
});

/** The names behind a page of records, batched: one query for the ids a level of the query asks. */
export const userSummaries = (ctx: GraphQLContext) =>
  requestLoader(ctx, "userSummaries", (ids: readonly string[]) => loadUserSummaries(ctx.db, ids));

const membershipsOfUser = (ctx: GraphQLContext) =>
  requestLoader(ctx, "membershipsByUser", (ids: readonly string[]) =>
    loadMembershipsByUserIds(ctx.db, ctx.viewer, ids),
  );

export const UserRef = builder.objectRef<User>("User");
builder.node(UserRef, {
  id: { resolve: (u) => u.id },
  loadMany: (ids, ctx) => loadVisibleUsers(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    disabledAt: t.expose("disabledAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    hasPassword: t.boolean({ resolve: (u) => u.passwordHash !== null }),
    isSingleSignOnLinked: t.boolean({ resolve: (u) => u.oidcSubject !== null }),
    memberships: t.field({
      type: [MembershipRef],
      description: "Roles at the sites where the viewer may list people (all of them for oneself)",
      resolve: (u, _args, ctx) => membershipsOfUser(ctx).load(u.id),
    }),
  }),
});

const encodeCursor = (u: UserCursor) => Buffer.from(JSON.stringify([u.email, u.id])).toString("base64url");
function decodeCursor(cursor: string): UserCursor {
  try {
    const [email, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof email !== "string" || typeof id !== "string") throw new Error();
    return { email, id };
  } catch {
    throw new AppError("VALIDATION", "cursor: not a cursor this API issued", { field: "cursor" });
  }
}

builder.queryField("siteMembers", (t) =>
  t.connection({
    type: UserRef,
    authScopes: { authenticated: true },
    description: "The people of a site, by email (its admins and coordinators)",
    args: {
      siteId: t.arg.globalID({ required: true, for: SiteRef }),
      role: t.arg({ type: RoleEnum, required: false }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (u: User) => encodeCursor(u), defaultSize: 20, maxSize: 100 },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listSiteMembers(ctx.db, requireViewer(ctx), {
            siteId: args.siteId.id,
            role: args.role ?? undefined,
            limit,
            inverted,
            after: after ? decodeCursor(after) : undefined,
            before: before ? decodeCursor(before) : undefined,
          }),
      ),
  }),
);

const CreateUserInput = builder.inputType("CreateUserInput", {
  fields: (t) => ({
    siteId: t.globalID({ required: true, for: SiteRef }),
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    password: t.string({
      required: false,
      description: "At least 12 characters; leave out for single-sign-on-only accounts",
    }),
    roles: t.field({ type: [RoleEnum], required: true }),
  }),
});

builder.mutationField("createUser", (t) =>
  t.field({
    type: UserRef,
    authScopes: { authenticated: true },
    description: "A new account with roles at one site (admins of that site)",
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createUser(
        ctx.db,
        requireViewer(ctx),
        {
          siteId: input.siteId.id,
          email: input.email,
          name: input.name,
          password: input.password ?? undefined,
          roles: input.roles,
        },
        { requestId: ctx.requestId },
      ),
  }),
);

for (const [name, isDisabled] of [
  ["disableUser", true],
  ["enableUser", false],
] as const) {
  builder.mutationField(name, (t) =>
    t.field({
      type: UserRef,
      authScopes: { authenticated: true },
      description: isDisabled
        ? "Refuses every further request of the account (admins of every site it belongs to)"
        : "Lets a disabled account sign in again (admins of every site it belongs to)",
      args: { id: t.arg.globalID({ required: true, for: UserRef }) },
      resolve: (_root, args, ctx) =>
        setUserDisabled(ctx.db, requireViewer(ctx), { userId: args.id.id, isDisabled }, { requestId: ctx.requestId }),
    }),
  );
}

builder.mutationField("unlinkSingleSignOn", (t) =>
  t.field({
    type: UserRef,
    authScopes: { authenticated: true },
    description:
      "Removes the account's single-sign-on link (the next single sign-on links it again by verified email; admins of every site it belongs to)",
    args: { id: t.arg.globalID({ required: true, for: UserRef }) },
    resolve: (_root, args, ctx) =>
      unlinkSingleSignOn(ctx.db, requireViewer(ctx), args.id.id, { requestId: ctx.requestId }),
  }),
);
