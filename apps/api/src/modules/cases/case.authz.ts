import { defineAuthz, globalIdOf, idOf, type Actor } from "../../../test/authz/authz.ts";

/** Non-reader roles of the case's site (readers see cases only through their studies). */
export const CASE_VIEWERS: Actor[] = ["ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER"];

export default defineAuthz({
  entries: [
    {
      field: "Query.cases",
      document: `query ($siteId: ID) { cases(siteId: $siteId, first: 10) { edges { node { id accessionKey images { id } } } } }`,
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.cases",
      name: "no site filter",
      document: `query { cases(first: 100) { edges { node { id site { code } } } } }`,
      variables: () => ({}),
      allowed: CASE_VIEWERS,
      rows: (data, site) =>
        data.cases.edges.filter((e: { node: { site: { code: string } } }) => e.node.site.code === site.siteCode),
    },
    {
      field: "Query.case",
      document: "query ($id: ID!) { case(id: $id) { id accessionKey patientPseudonym } }",
      variables: idOf("Case", "caseId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.node",
      name: "Case",
      document: "query ($id: ID!) { node(id: $id) { id ... on Case { accessionKey } } }",
      variables: idOf("Case", "caseId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.node",
      name: "Image",
      document: "query ($id: ID!) { node(id: $id) { id ... on Image { widthPx } } }",
      variables: idOf("Image", "imageId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.nodes",
      name: "a case, an image, a label",
      document: "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
      variables: (site) => ({
        ids: [
          globalIdOf("Case", site.ids.caseId!),
          globalIdOf("Image", site.ids.imageId!),
          globalIdOf("PathologyLabel", site.ids.labelId!),
        ],
      }),
      allowed: CASE_VIEWERS,
      rows: (data) => data.nodes.filter(Boolean),
    },
  ],
});
