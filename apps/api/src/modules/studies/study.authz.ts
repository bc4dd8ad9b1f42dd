import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld, freshStudy, uniqueName } from "../../../test/study-authz-fixtures.ts";

// Reader studies are managed by the COORDINATORs of their site, nobody else.
export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.readerStudies",
      document: "query ($siteId: ID) { readerStudies(first: 10, siteId: $siteId) { edges { node { id name } } } }",
      variables: (site) => ({ siteId: globalIdOf("Site", site.siteId) }),
      allowed: ["COORDINATOR"],
      rows: (data) => (data.readerStudies as { edges: unknown[] }).edges,
    },
    {
      field: "Query.readerStudy",
      document:
        "query ($id: ID!) { readerStudy(id: $id) { id readers { email progress { unaidedReads } } cases(first: 5) { edges { node { code } } } } }",
      variables: idOf("ReaderStudy", "openStudyId"),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Query.node",
      name: "ReaderStudy",
      document: "query ($id: ID!) { node(id: $id) { id ... on ReaderStudy { name status } } }",
      variables: idOf("ReaderStudy", "openStudyId"),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.createReaderStudy",
      document: "mutation ($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }",
      variables: (site) => ({ input: { siteId: globalIdOf("Site", site.siteId), name: uniqueName("Matrix study") } }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.updateReaderStudy",
      document: "mutation ($input: UpdateReaderStudyInput!) { updateReaderStudy(input: $input) { id } }",
      variables: async (site, world) => ({
        input: {
          studyId: globalIdOf("ReaderStudy", (await freshStudy(world, site)).study.id),
          name: uniqueName("Renamed"),
          seed: 3,
        },
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.addStudyCases",
      document: "mutation ($input: StudyCasesInput!) { addStudyCases(input: $input) { id } }",
      variables: async (site, world) => {
        const { study } = await freshStudy(world, site);
        await world.api.db.studyCase.deleteMany({ where: { studyId: study.id } });
        return {
          input: { studyId: globalIdOf("ReaderStudy", study.id), caseIds: [globalIdOf("Case", site.ids.caseId!)] },
        };
      },
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.removeStudyCases",
      document: "mutation ($input: StudyCasesInput!) { removeStudyCases(input: $input) { id } }",
      variables: async (site, world) => ({
        input: {
          studyId: globalIdOf("ReaderStudy", (await freshStudy(world, site)).study.id),
          caseIds: [globalIdOf("Case", site.ids.caseId!)],
        },
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.addStudyFindings",
      document: "mutation ($input: StudyFindingsInput!) { addStudyFindings(input: $input) { id } }",
      variables: async (site, world) => {
        const { study } = await freshStudy(world, site, { unit: "FINDING" });
        await world.api.db.studyCase.deleteMany({ where: { studyId: study.id } });
        return {
          input: {
            studyId: globalIdOf("ReaderStudy", study.id),
            findingIds: [globalIdOf("Finding", site.ids.findingId!)],
          },
        };
      },
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.removeStudyFindings",
      document: "mutation ($input: StudyFindingsInput!) { removeStudyFindings(input: $input) { id } }",
      variables: async (site, world) => ({
        input: {
          studyId: globalIdOf("ReaderStudy", (await freshStudy(world, site, { unit: "FINDING" })).study.id),
          findingIds: [globalIdOf("Finding", site.ids.findingId!)],
        },
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.addStudyReader",
      document: "mutation ($input: AddStudyReaderInput!) { addStudyReader(input: $input) { id } }",
      variables: async (site, world) => {
        const { study } = await freshStudy(world, site, { withReader: false });
        const reader = await world.api.db.user.findUniqueOrThrow({ where: { id: site.users.READER } });
        return { input: { studyId: globalIdOf("ReaderStudy", study.id), email: reader.email, arm: "UNAIDED" } };
      },
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.removeStudyReader",
      document: "mutation ($id: ID!) { removeStudyReader(studyReaderId: $id) { id } }",
      variables: async (site, world) => ({
        id: globalIdOf("StudyReader", (await freshStudy(world, site)).readers[0]!.id),
      }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.openReaderStudy",
      document: "mutation ($id: ID!) { openReaderStudy(id: $id) { id status } }",
      variables: async (site, world) => ({ id: globalIdOf("ReaderStudy", (await freshStudy(world, site)).study.id) }),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Mutation.closeReaderStudy",
      document: "mutation ($id: ID!) { closeReaderStudy(id: $id) { id status } }",
      variables: async (site, world) => ({
        id: globalIdOf("ReaderStudy", (await freshStudy(world, site, { status: "OPEN" })).study.id),
      }),
      allowed: ["COORDINATOR"],
    },
  ],
});
