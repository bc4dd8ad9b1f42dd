import { defineAuthz, idOf } from "../../../test/authz/authz.ts";
import { ensureStudyWorld } from "../../../test/study-authz-fixtures.ts";

// The report of a closed study: its site's coordinators only; the model versions scored on it:
// its coordinators and ML engineers.
export default defineAuthz({
  setup: ensureStudyWorld,
  entries: [
    {
      field: "Query.studyReport",
      document:
        "query ($studyId: ID!) { studyReport(studyId: $studyId) { studyName cases { code truth reads { answer region } } notes } }",
      variables: idOf("ReaderStudy", "closedStudyId", "studyId"),
      allowed: ["COORDINATOR"],
    },
    {
      field: "Query.studyModelVersions",
      document:
        "query ($studyId: ID!) { studyModelVersions(studyId: $studyId) { name isStudyModel cases ai { cases } } }",
      variables: idOf("ReaderStudy", "closedStudyId", "studyId"),
      allowed: ["COORDINATOR", "ML_ENGINEER"],
    },
  ],
});
