import type { Viewer } from "../../auth/viewer.ts";
import { builder } from "../../graphql/builder.ts";
import { MembershipRef } from "../memberships/membership.schema.ts";
import { listMyMemberships } from "../memberships/membership.service.ts";
import { login } from "./login.service.ts";
import { signInWithOidc } from "./oidc-sign-in.service.ts";

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

type LoginResult = { id: string; email: string; name: string };
const LoginResultRef = builder.objectRef<LoginResult>("LoginResult").implement({
  description: "The account whose credentials were checked; the web app then starts a session for it",
  fields: (t) => ({ id: t.exposeID("id"), email: t.exposeString("email"), name: t.exposeString("name") }),
});

builder.mutationField("login", (t) =>
  t.field({
    type: LoginResultRef,
    description: "Checks email and password (failures are limited per account and per client address)",
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const user = await login(ctx.db, args, ctx.clientIp);
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
);

builder.mutationField("signInWithOidc", (t) =>
  t.field({
    type: LoginResultRef,
    description:
      "Maps a verified OpenID Connect ID token of the configured issuer to its user (linking a not yet linked account by verified email on first use)",
    args: { idToken: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = await signInWithOidc(ctx.db, ctx.oidc, args.idToken, { requestId: ctx.requestId });
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
);
