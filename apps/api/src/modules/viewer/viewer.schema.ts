import type { Viewer, SiteRole } from "../../auth/viewer.ts";
import { builder } from "../../graphql/builder.ts";
import { RoleEnum } from "../../graphql/enums.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { login } from "./login.service.ts";

const MembershipRef = builder.objectRef<SiteRole>("Membership").implement({
  fields: (t) => ({
    role: t.expose("role", { type: RoleEnum }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (m) => m.siteId,
    }),
  }),
});

const MeRef = builder.objectRef<Viewer>("Me").implement({
  description: "The signed-in user",
  fields: (t) => ({
    id: t.exposeID("userId"),
    email: t.exposeString("email"),
    name: t.exposeString("name"),
    memberships: t.field({ type: [MembershipRef], resolve: (v) => v.memberships }),
  }),
});

builder.queryField("me", (t) =>
  t.field({ type: MeRef, nullable: true, resolve: (_root, _args, ctx) => ctx.viewer }),
);

type LoginResult = { id: string; email: string; name: string };
const LoginResultRef = builder.objectRef<LoginResult>("LoginResult").implement({
  description: "The account whose credentials were checked; the web app then starts a session for it",
  fields: (t) => ({ id: t.exposeID("id"), email: t.exposeString("email"), name: t.exposeString("name") }),
});

builder.mutationField("login", (t) =>
  t.field({
    type: LoginResultRef,
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
