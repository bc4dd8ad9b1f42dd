import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { createLabel } from "../../../test/factories.ts";
import { CASE_VIEWERS } from "../cases/case.authz.ts";

export default defineAuthz({
  async setup(world) {
    for (const site of [world.own, world.other]) {
      const decision = await world.api.db.consensusDecision.create({
        data: {
          findingId: site.ids.findingId!,
          subtype: "SCIRRHOUS",
          method: "UNANIMOUS",
          decidedById: site.users.ANNOTATOR,
        },
      });
      site.ids.consensusDecisionId = decision.id;
    }
  },
  entries: [
    {
      field: "Query.pathologyHistory",
      document: "query ($caseId: ID!) { pathologyHistory(caseId: $caseId) { kind subtype } }",
      variables: idOf("Case", "caseId", "caseId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.node",
      name: "PathologyLabel",
      document: "query ($id: ID!) { node(id: $id) { id ... on PathologyLabel { subtype } } }",
      variables: idOf("PathologyLabel", "labelId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.node",
      name: "Finding",
      document: "query ($id: ID!) { node(id: $id) { id ... on Finding { key labelStatus truth } } }",
      variables: idOf("Finding", "findingId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Query.node",
      name: "ConsensusDecision",
      document: "query ($id: ID!) { node(id: $id) { id ... on ConsensusDecision { subtype } } }",
      variables: idOf("ConsensusDecision", "consensusDecisionId"),
      allowed: CASE_VIEWERS,
    },
    {
      field: "Mutation.addPathologyLabel",
      document: "mutation ($input: AddPathologyLabelInput!) { addPathologyLabel(input: $input) { id } }",
      variables: (site) => ({
        input: {
          caseId: globalIdOf("Case", site.ids.caseId!),
          laterality: "L",
          subtype: "SCIRRHOUS",
          source: "BIOPSY",
        },
      }),
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.createFinding",
      document: "mutation ($input: CreateFindingInput!) { createFinding(input: $input) { id key } }",
      variables: (site) => ({ input: { caseId: globalIdOf("Case", site.ids.caseId!), laterality: "L" } }),
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.updateFinding",
      document: "mutation ($input: UpdateFindingInput!) { updateFinding(input: $input) { id note } }",
      variables: (site) => ({ input: { findingId: globalIdOf("Finding", site.ids.findingId!), note: "matrix" } }),
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.correctPathologyLabel",
      document: "mutation ($input: CorrectPathologyLabelInput!) { correctPathologyLabel(input: $input) { id } }",
      variables: async (site, world) => {
        const label = await createLabel(world.api.db, site.ids.caseId!, site.users.ANNOTATOR, "SCIRRHOUS");
        return {
          input: {
            labelId: globalIdOf("PathologyLabel", label.id),
            subtype: "SCIRRHOUS",
            source: "SURGERY",
            reason: "surgical specimen",
          },
        };
      },
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.retractPathologyLabel",
      document: "mutation ($input: RetractPathologyLabelInput!) { retractPathologyLabel(input: $input) { id } }",
      variables: async (site, world) => {
        const label = await createLabel(world.api.db, site.ids.caseId!, site.users.ANNOTATOR, "SCIRRHOUS");
        return { input: { labelId: globalIdOf("PathologyLabel", label.id), reason: "entered twice" } };
      },
      allowed: ["ANNOTATOR"],
    },
    {
      field: "Mutation.decideConsensus",
      document: "mutation ($input: DecideConsensusInput!) { decideConsensus(input: $input) { id method } }",
      variables: (site) => ({
        input: { findingId: globalIdOf("Finding", site.ids.findingId!), subtype: "SCIRRHOUS", rationale: "matrix" },
      }),
      allowed: ["ANNOTATOR", "COORDINATOR"],
    },
  ],
});
