import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { listPretrainedWeights, type PretrainedWeightsRow } from "./pretrained-weights.service.ts";

export const PretrainedWeightsRef = builder.objectRef<PretrainedWeightsRow>("PretrainedWeights").implement({
  description:
    "A registered pretrained weights file (Keras .h5, e.g. VGG16 ImageNet weights), stored content-addressed; training runs name it by weightsId",
  fields: (t) => ({
    id: t.string({ resolve: (w) => encodeGlobalID("PretrainedWeights", w.id) }),
    weightsId: t.string({
      description: "The id to give as params.model.imagenetWeightsId of a training request",
      resolve: (w) => w.id,
    }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (w) => w.siteId,
    }),
    name: t.exposeString("name"),
    architecture: t.exposeString("architecture"),
    format: t.exposeString("format"),
    sha256: t.exposeString("sha256", { description: "Digest of the file as uploaded" }),
    sizeBytes: t.float({ resolve: (w) => Number(w.sizeBytes) }),
    fileName: t.exposeString("fileName"),
    source: t.exposeString("source"),
    licence: t.exposeString("licence"),
    layers: t.exposeStringList("layers", { description: "The layers it provides, checked at registration" }),
    createdByName: t.string({ resolve: (w) => w.createdBy.name }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("pretrainedWeights", (t) =>
  t.field({
    type: [PretrainedWeightsRef],
    authScopes: { authenticated: true },
    description:
      "Weights registered at the sites where the viewer is ML_ENGINEER, newest first (register with POST /pretrained-weights or `npm run trainer -- weights add`)",
    args: { siteId: t.arg.globalID({ required: false, for: SiteRef }) },
    resolve: (_root, args, ctx) => listPretrainedWeights(ctx.db, requireViewer(ctx), { siteId: args.siteId?.id }),
  }),
);
