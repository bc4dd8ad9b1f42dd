import { defineAuthz, globalIdOf, idOf } from "../../../test/authz/authz.ts";
import { createRead, deliverCaseImages } from "../../../test/study-factories.ts";
import { ensureStudyWorld, freshStudy } from "../../../test/study-authz-fixtures.ts";

// Reading is the business of the study's own assigned READER; the matrix's READER reads the
// own site's studies only (another site's studies are read by that site's reader).
export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.myReaderStudies",
      document: "query { myReaderStudies { studyId arm progress { unaidedReads } } }",
      variables: () => ({}),
      // No arguments: the reader sees their own assignments whichever site's run this is.
      allowed: ["READER"],
      allowedOnOtherSite: ["READER"],
    },
    {
      field: "Query.myNextCase",
      document:
        "query ($studyId: ID!) { myNextCase(studyId: $studyId) { caseCode phase images { id } ai { answer } } }",
      variables: idOf("ReaderStudy", "openStudyId", "studyId"),
      allowed: ["READER"],
    },
    {
      field: "Query.myReads",
      document: "query ($studyId: ID!) { myReads(studyId: $studyId) { id answer } }",
      variables: idOf("ReaderStudy", "openStudyId", "studyId"),
      allowed: ["READER"],
    },
    {
      field: "Mutation.submitRead",
      document: "mutation ($input: SubmitReadInput!) { submitRead(input: $input) { read { id } } }",
      variables: async (site, world) => {
        const { study, studyCases, readers } = await freshStudy(world, site, { status: "OPEN" });
        await deliverCaseImages(world.api.db, readers[0]!.id, studyCases[0]!);
        return {
          input: {
            studyId: globalIdOf("ReaderStudy", study.id),
            caseCode: studyCases[0]!.code,
            phase: "UNAIDED",
            answer: "SOLID",
            confidence: 50,
            timeSpentMs: 1000,
          },
        };
      },
      allowed: ["READER"],
    },
    {
      field: "Mutation.correctRead",
      document: "mutation ($input: CorrectReadInput!) { correctRead(input: $input) { read { id version } } }",
      variables: async (site, world) => {
        const { studyCases, readers } = await freshStudy(world, site, { status: "OPEN" });
        const read = await createRead(world.api.db, {
          studyReaderId: readers[0]!.id,
          studyCaseId: studyCases[0]!.id,
          answer: "SOLID",
        });
        return {
          input: {
            readId: globalIdOf("Read", read.id),
            reason: "misclicked",
            answer: "SCIRRHOUS",
            confidence: 60,
            timeSpentMs: 500,
          },
        };
      },
      allowed: ["READER"],
    },
  ],
});
