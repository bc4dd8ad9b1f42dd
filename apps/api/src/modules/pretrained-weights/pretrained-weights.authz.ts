import { defineAuthz, globalIdOf, type AuthzWorld } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";

/** A registered weights row at each site (the file's checks have their own test: uploads are POST /pretrained-weights). */
async function ensureWeights(world: AuthzWorld) {
  await ensureStudyWorld(world);
  for (const site of [world.own, world.other]) {
    if (await world.api.db.pretrainedWeights.findFirst({ where: { siteId: site.siteId } })) continue;
    await world.api.db.pretrainedWeights.create({
      data: {
        siteId: site.siteId,
        name: `vgg16-imagenet-${site.key}`,
        architecture: "vgg16",
        format: "keras-h5",
        sha256: (site.key === "own" ? "a" : "b").repeat(64),
        sizeBytes: 1024n,
        fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        source: "authorisation matrix fixture",
        licence: "MIT",
        layers: ["block1_conv1"],
        createdById: site.users.ML_ENGINEER,
      },
    });
  }
}

// Registered weights: listed to the ML engineers of their site (uploads: POST /pretrained-weights,
// its own integration test).
export default defineAuthz({
  setup: ensureWeights,
  entries: [
    {
      field: "Query.pretrainedWeights",
      document: "query ($siteId: ID) { pretrainedWeights(siteId: $siteId) { id sha256 source licence } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["ML_ENGINEER"],
    },
  ],
});
