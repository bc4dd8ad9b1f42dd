import { defineAuthz, globalIdOf, idOf, type Actor } from "../../../test/authz/authz.ts";
import { createCase, createLabel } from "../../../test/factories.ts";

const DATASET_VIEWERS: Actor[] = ["ADMIN", "COORDINATOR", "ML_ENGINEER"];

export default defineAuthz({
  async setup(world) {
    for (const site of [world.own, world.other]) {
      // A second class, so that the dataset can be frozen.
      const solid = await createCase(world.api.db, world.api.blobs, site.siteId);
      await createLabel(world.api.db, solid.id, site.users.ANNOTATOR, "SOLID");
      const dataset = await world.api.db.dataset.create({
        data: {
          siteId: site.siteId,
          name: "two classes",
          filter: { siteIds: [site.siteId], subtypes: ["SCIRRHOUS", "SOLID"] },
          createdById: site.users.COORDINATOR,
        },
      });
      site.ids.freezableDatasetId = dataset.id;
    }
  },
  entries: [
    {
      field: "Query.datasets",
      document: "query ($siteId: ID) { datasets(siteId: $siteId, first: 10) { edges { node { id name } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Query.dataset",
      document: "query ($id: ID!) { dataset(id: $id) { id name versions { id } } }",
      variables: idOf("Dataset", "datasetId"),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Query.node",
      name: "Dataset",
      document: "query ($id: ID!) { node(id: $id) { id ... on Dataset { name } } }",
      variables: idOf("Dataset", "datasetId"),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Query.datasetVersion",
      document:
        "query ($id: ID!) { datasetVersion(id: $id) { id digest items(first: 5) { edges { node { subtype } } } } }",
      variables: idOf("DatasetVersion", "datasetVersionId"),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Query.node",
      name: "DatasetVersion",
      document: "query ($id: ID!) { node(id: $id) { id ... on DatasetVersion { digest } } }",
      variables: idOf("DatasetVersion", "datasetVersionId"),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Query.previewDataset",
      document: "query ($id: ID!) { previewDataset(datasetId: $id) { itemCount counts { subtype images } } }",
      variables: idOf("Dataset", "freezableDatasetId"),
      allowed: DATASET_VIEWERS,
    },
    {
      field: "Mutation.createDataset",
      document: "mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }",
      variables: (site, _world, actor) => ({
        input: {
          siteId: globalIdOf("Site", site.siteId),
          name: `by ${actor} ${Date.now()}`,
          filter: { siteIds: [globalIdOf("Site", site.siteId)], subtypes: ["SOLID", "SCIRRHOUS"] },
        },
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.updateDataset",
      document: "mutation ($input: UpdateDatasetInput!) { updateDataset(input: $input) { id description } }",
      variables: (site, _world, actor) => ({
        input: { datasetId: globalIdOf("Dataset", site.ids.datasetId!), description: `edited by ${actor}` },
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.freezeDatasetVersion",
      document: "mutation ($input: FreezeDatasetInput!) { freezeDatasetVersion(input: $input) { id version } }",
      variables: (site) => ({
        input: { datasetId: globalIdOf("Dataset", site.ids.freezableDatasetId!), options: { folds: 1 } },
      }),
      allowed: ["COORDINATOR"],
    },
  ],
});
