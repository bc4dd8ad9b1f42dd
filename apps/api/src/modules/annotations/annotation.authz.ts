import {
  defineAuthz,
  globalIdOf,
  idOf,
  type Actor,
  type AuthzWorld,
  type SiteFixture,
} from "../../../test/authz/authz.ts";
import { createAnnotation } from "../../../test/factories.ts";
import { CASE_VIEWERS } from "../cases/case.authz.ts";

/** A fresh annotation by the acting annotator (own site) or by the site's annotator (other site). */
async function freshAnnotation(site: SiteFixture, world: AuthzWorld, actor: Actor) {
  const authorId = site.key === "own" && actor === "ANNOTATOR" ? world.own.users.ANNOTATOR : site.users.ANNOTATOR;
  return { id: globalIdOf("Annotation", (await createAnnotation(world.api.db, site.ids.imageId!, authorId)).id) };
}

export default defineAuthz({
  entries: [
    {
      field: "Query.node",
      name: "Annotation",
      document: "query ($id: ID!) { node(id: $id) { id ... on Annotation { shape geometry } } }",
      variables: idOf("Annotation", "annotationId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Mutation.createAnnotation",
      document: "mutation ($input: CreateAnnotationInput!) { createAnnotation(input: $input) { id } }",
      variables: (site) => ({
        input: {
          imageId: globalIdOf("Image", site.ids.imageId!),
          purpose: "FINDING",
          shape: "POINT",
          geometry: { x: 2, y: 3 },
        },
      }),
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.updateAnnotation",
      document: "mutation ($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id } }",
      variables: async (site, world, actor) => ({
        input: { annotationId: (await freshAnnotation(site, world, actor)).id, note: "moved" },
      }),
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.deleteAnnotation",
      document: "mutation ($id: ID!) { deleteAnnotation(id: $id) { id deletedAt } }",
      variables: freshAnnotation,
      allowed: ["ANNOTATOR"],
    },
  ],
});
