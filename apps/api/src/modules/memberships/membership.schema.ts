import type { Membership } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { RoleEnum } from "../../graphql/enums.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { addMembership, loadVisibleMemberships, removeMembership } from "./membership.service.ts";

export const MembershipRef = builder.objectRef<Membership>("Membership");
builder.node(MembershipRef, {
  id: { resolve: (m) => m.id },
  description: "A role a user holds at a site",
  loadMany: (ids, ctx) => loadVisibleMemberships(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    role: t.expose("role", { type: RoleEnum }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (m) => m.siteId,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const AddMembershipInput = builder.inputType("AddMembershipInput", {
  fields: (t) => ({
    siteId: t.globalID({ required: true, for: SiteRef }),
    email: t.string({ required: true, description: "An existing user's email (they may belong to other sites)" }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

builder.mutationField("addMembership", (t) =>
  t.field({
    type: MembershipRef,
    authScopes: { authenticated: true },
    description: "Gives an existing user a role at a site (admins of that site)",
    args: { input: t.arg({ type: AddMembershipInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addMembership(
        ctx.db,
        requireViewer(ctx),
        { siteId: input.siteId.id, email: input.email, role: input.role },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("removeMembership", (t) =>
  t.field({
    type: MembershipRef,
    authScopes: { authenticated: true },
    description: "Takes a role away (admins of its site); effective on the user's next request",
    args: { id: t.arg.globalID({ required: true, for: MembershipRef }) },
    resolve: (_root, args, ctx) =>
      removeMembership(ctx.db, requireViewer(ctx), { membershipId: args.id.id }, { requestId: ctx.requestId }),
  }),
);
