import type { Site } from "@mammo/db";
import { siteIdsWithRole } from "../../auth/viewer.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { listMySites, loadSitesByIds, updateSite } from "./site.service.ts";

export const SiteRef = builder.objectRef<Site>("Site");

builder.node(SiteRef, {
  id: { resolve: (site) => site.id },
  // Node lookup: only the viewer's own sites.
  loadMany: async (ids, ctx) => {
    const mine = new Set(ctx.viewer ? siteIdsWithRole(ctx.viewer) : []);
    const sites = await loadSitesByIds(ctx.db, ids);
    return sites.map((s) => (s instanceof Error || !mine.has(s.id) ? null : s));
  },
  fields: (t) => ({
    code: t.exposeString("code"),
    name: t.exposeString("name"),
  }),
});

builder.queryField("mySites", (t) =>
  t.field({
    type: [SiteRef],
    description: "The sites the signed-in user is a member of",
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => listMySites(ctx.db, requireViewer(ctx)),
  }),
);

const UpdateSiteInput = builder.inputType("UpdateSiteInput", {
  fields: (t) => ({ siteId: t.globalID({ required: true, for: SiteRef }), name: t.string({ required: true }) }),
});

builder.mutationField("updateSite", (t) =>
  t.field({
    type: SiteRef,
    authScopes: { authenticated: true },
    description: "Changes a site's settings (its admins)",
    args: { input: t.arg({ type: UpdateSiteInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateSite(
        ctx.db,
        requireViewer(ctx),
        { siteId: input.siteId.id, name: input.name },
        { requestId: ctx.requestId },
      ),
  }),
);
