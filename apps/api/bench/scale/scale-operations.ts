// What `npm run bench:scale` asks the API, as the web app asks it (the documents are the web
// app's own, read from its pages; the audit log, a reader's reads and a run's predictions have no
// page and are asked as an API client would).
import type { ScaleArchive } from "./scale-data.ts";
import { webDocument } from "./web-documents.ts";

export type GraphqlCall = (
  userId: string,
  query: string,
  variables?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

export type Operation = {
  name: string;
  /** The user who asks. */
  as: (archive: ScaleArchive) => string;
  query: string;
  /** The variables; may ask the API first (e.g. for a page's cursor). */
  variables: (archive: ScaleArchive, call: GraphqlCall) => Promise<Record<string, unknown>>;
};

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

const CASES = webDocument("app/(app)/cases/page.tsx", "CASES_QUERY");
const CASE = webDocument("app/(app)/cases/[caseId]/page.tsx", "CASE_QUERY");
const STUDY = webDocument("app/(app)/studies/[studyId]/page.tsx", "QUERY");

const AUDIT = /* GraphQL */ `
  query Audit($siteId: ID!, $action: String, $entityId: ID) {
    auditEvents(siteId: $siteId, action: $action, entityId: $entityId, first: 50) {
      edges {
        node {
          id
          at
          action
          entityType
          entityId
          actor {
            name
          }
          after
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const MY_READS = /* GraphQL */ `
  query MyReads($studyId: ID!) {
    myReads(studyId: $studyId) {
      id
      caseCode
      phase
      answer
      confidence
      version
      submittedAt
    }
  }
`;

const RUN_PREDICTIONS = /* GraphQL */ `
  query RunPredictions($id: ID!) {
    inferenceRun(id: $id) {
      id
      status
      predictions(first: 20) {
        edges {
          node {
            id
            caseId
            predictedClass
            probabilities {
              subtype
              probability
            }
            createdAt
          }
        }
      }
    }
  }
`;

const staff = (a: ScaleArchive) => a.staffId;
const north = (a: ScaleArchive) => globalId("Site", a.siteId);

/** The list operations, timed (median and max of 5) and explained (index use) at every size. */
export const LIST_OPERATIONS: Operation[] = [
  {
    name: "case browser, first page",
    as: staff,
    query: CASES,
    variables: async (a) => ({ first: 25, filter: { siteId: north(a) } }),
  },
  {
    name: "case browser, next page",
    as: staff,
    query: CASES,
    variables: async (a, call) => {
      const first = (await call(a.staffId, CASES, { first: 25, filter: { siteId: north(a) } })) as {
        cases: { pageInfo: { endCursor: string } };
      };
      return { first: 25, after: first.cases.pageInfo.endCursor, filter: { siteId: north(a) } };
    },
  },
  ...(["CONFLICT", "LABELLED", "ADJUDICATED", "UNLABELLED"] as const).map((status) => ({
    name: `filter label status ${status}`,
    as: staff,
    query: CASES,
    variables: async (a: ScaleArchive) => ({ first: 25, filter: { siteId: north(a), labelStatus: status } }),
  })),
  {
    name: "filter subtype SOLID",
    as: staff,
    query: CASES,
    variables: async (a) => ({ first: 25, filter: { siteId: north(a), subtype: "SOLID" } }),
  },
  {
    name: "filter subtype SOLID + LABELLED, all sites",
    as: staff,
    query: CASES,
    variables: async () => ({ first: 25, filter: { subtype: "SOLID", labelStatus: "LABELLED" } }),
  },
  {
    name: "one case with images, labels, regions",
    as: staff,
    query: CASE,
    variables: async (a) => ({ id: globalId("Case", a.sampleCaseId) }),
  },
  { name: "audit log, first page", as: staff, query: AUDIT, variables: async (a) => ({ siteId: north(a) }) },
  {
    name: "audit log, one action",
    as: staff,
    query: AUDIT,
    variables: async (a) => ({ siteId: north(a), action: "consensus.decide" }),
  },
  {
    name: "audit log, one entity",
    as: staff,
    query: AUDIT,
    variables: async (a) => ({ siteId: north(a), entityId: globalId("Case", a.sampleCaseId) }),
  },
  {
    name: "reads of a study: the study page (readers' progress)",
    as: staff,
    query: STUDY,
    variables: async (a) => ({ id: globalId("ReaderStudy", a.openStudyId) }),
  },
  {
    name: "reads of a study: a reader's own reads",
    as: (a) => a.readerIds.at(-1)!,
    query: MY_READS,
    variables: async (a) => ({ studyId: globalId("ReaderStudy", a.openStudyId) }),
  },
  {
    name: "predictions of an inference run, first page",
    as: staff,
    query: RUN_PREDICTIONS,
    variables: async (a) => ({ id: globalId("InferenceRun", a.inferenceRunId) }),
  },
];

// The report page asks in three requests at once (the API's query limits keep one request from
// asking for the whole report).
export const REPORT_QUERIES = ["SUMMARY_QUERY", "PHASES_QUERY", "CASES_QUERY"].map((name) =>
  webDocument("lib/study-report.ts", name),
);

export const NEXT_CASE = webDocument("app/(app)/reading/[studyId]/page.tsx", "myNextCase(");

/** Explained (not timed with the lists: they have their own rows): the reading step and the report's data. */
export const EXPLAINED_ALSO: Operation[] = [
  {
    name: "myNextCase",
    as: (a) => a.readerIds.at(-1)!,
    query: NEXT_CASE,
    variables: async (a) => ({ studyId: globalId("ReaderStudy", a.openStudyId) }),
  },
  {
    name: "studyReport (its data)",
    as: staff,
    query: REPORT_QUERIES[0]!,
    variables: async (a) => ({ studyId: globalId("ReaderStudy", a.reportStudyIds[0]!) }),
  },
];

// The dataset page (its preview of the items a freeze would write) and the create and freeze
// forms' mutations.
export const DATASET_PAGE = webDocument("app/(app)/datasets/[datasetId]/page.tsx", "QUERY");
export const CREATE_DATASET = webDocument("app/(app)/datasets/actions.ts", "createDataset(");
export const FREEZE_DATASET = webDocument("app/(app)/datasets/actions.ts", "freezeDatasetVersion(");
