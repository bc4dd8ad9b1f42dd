import type { Viewer } from "../../auth/viewer.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { MembershipRef } from "../memberships/membership.schema.ts";
import { listMyMemberships } from "../memberships/membership.service.ts";
import { login } from "./login.service.ts";
import { signInWithOidc } from "./oidc-sign-in.service.ts";
import { changePassword, endSession } from "./session.service.ts";

const MeRef = builder.objectRef<Viewer>("Me").implement({
  description: "The signed-in user",
  fields: (t) => ({
    id: t.exposeID("userId"),
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    memberships: t.field({ type: [MembershipRef], resolve: (v, _args, ctx) => listMyMemberships(ctx.db, v) }),
    isApiToken: t.boolean({
      description: "Whether this request came with a personal API token (not a web session)",
      resolve: (v) => v.via === "token",
    }),
  }),
});

builder.queryField("me", (t) => t.field({ type: MeRef, nullable: true, resolve: (_root, _args, ctx) => ctx.viewer }));

type LoginResult = { id: string; email: string; name: string; sessionId: string };
const LoginResultRef = builder.objectRef<LoginResult>("LoginResult").implement({
  description: "The account whose credentials were checked and the server-side session started for it",
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    sessionId: t.exposeString("sessionId", {
      description: "The web app puts it into its session token (sid); the API checks it on every request",
    }),
  }),
});
const loginResult = ({ user, session }: { user: Omit<LoginResult, "sessionId">; session: { id: string } }) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  sessionId: session.id,
});

builder.mutationField("login", (t) =>
  t.field({
    type: LoginResultRef,
    description: "Checks email and password (failures are limited per account and per client address)",
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => loginResult(await login(ctx.db, args, ctx.clientIp)),
  }),
);

builder.mutationField("signInWithOidc", (t) =>
  t.field({
    type: LoginResultRef,
    description:
      "Maps a verified OpenID Connect ID token of the configured issuer to its user (linking a not yet linked account by verified email on first use) and starts a session; refusals carry extensions.reason",
    args: {
      idToken: t.arg.string({ required: true }),
      accessToken: t.arg.string({
        required: false,
        description:
          "The access token of the same sign-in: UserInfo is read with it when the ID token carries no email",
      }),
    },
    resolve: async (_root, args, ctx) =>
      loginResult(await signInWithOidc(ctx.db, ctx.oidc, args, { requestId: ctx.requestId })),
  }),
);

builder.mutationField("signOut", (t) =>
  t.boolean({
    authScopes: { authenticated: true },
    description: "Ends the web session of this request on the server (any copy of its token stops working)",
    resolve: (_root, _args, ctx) => endSession(ctx.db, requireViewer(ctx)),
  }),
);

builder.mutationField("changePassword", (t) =>
  t.int({
    authScopes: { authenticated: true },
    description:
      "Changes one's own password (from a web session) and signs out every other session; the number signed out",
    args: {
      currentPassword: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true, description: "At least 12 characters" }),
    },
    resolve: (_root, args, ctx) => changePassword(ctx.db, requireViewer(ctx), args, { requestId: ctx.requestId }),
  }),
);
