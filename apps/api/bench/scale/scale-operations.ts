// What `npm run bench:scale` asks the API, as the web app asks it (the documents are the web
// app's own where it has the page; the audit log and a run's predictions are API-only lists).
import type { ScaleArchive } from "./scale-data.ts";

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

// apps/web/src/app/(app)/cases/page.tsx
const CASES = /* GraphQL */ `
  query Cases($first: Int, $after: String, $last: Int, $before: String, $filter: CaseFilter) {
    cases(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges {
        node {
          id
          accessionKey
          patientPseudonym
          labelStatus
          truth
          site {
            code
          }
          images {
            id
            laterality
            view
            displayUrl
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
        startCursor
      }
    }
  }
`;

// apps/web/src/app/(app)/cases/[caseId]/page.tsx (the case itself)
const CASE = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      id
      accessionKey
      patientPseudonym
      examDate
      labelStatus
      truth
      site {
        id
        code
        name
      }
      images {
        id
        laterality
        view
        displayUrl
        widthPx
        heightPx
        bitsStored
        annotations {
          id
          purpose
          shape
          geometry
          note
          author {
            id
            name
          }
        }
      }
      pathologyLabels {
        id
        subtype
        source
        specimenDate
        note
        laterality
        author {
          id
          name
        }
        createdAt
        retractedAt
        isCurrent
      }
      consensus {
        subtype
        method
        rationale
        decidedBy {
          name
        }
        createdAt
      }
    }
  }
`;

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

// apps/web/src/app/(app)/studies/[studyId]/page.tsx (the readers and their progress)
const STUDY_READERS = /* GraphQL */ `
  query StudyReaders($id: ID!) {
    readerStudy(id: $id) {
      id
      name
      status
      readers {
        id
        userName
        arm {
          kind
        }
        progress {
          unaidedReads
          aidedReads
          caseCount
          isComplete
        }
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
const casesOf = (filter: Record<string, unknown>) => async () => ({ first: 25, filter });
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
    variables: casesOf({ subtype: "SOLID", labelStatus: "LABELLED" }),
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
    name: "reads of a study: readers' progress",
    as: staff,
    query: STUDY_READERS,
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

// apps/web/src/app/(app)/studies/[studyId]/report/page.tsx: three requests at once (the API's
// query limits keep one request from asking for the whole report).
const FIGURES = `cases accuracy { estimate lower upper successes total } perClass { subtype support sensitivity { estimate lower upper successes total } specificity { estimate lower upper successes total } auc { auc lower upper } } confusionMatrix { truth counts }`;
export const REPORT_QUERIES = [
  /* GraphQL */ `
  query Report($studyId: ID!) {
    studyReport(studyId: $studyId) {
      studyName closedAt classes notes
      readers { label name email arm }
      ai { ${FIGURES} }
      mrmc { subtype readers unaidedAuc aidedAuc difference lower upper f ddf pValue }
      excludedCases { code reason }
    }
  }`,
  /* GraphQL */ `
  query ReportPhases($studyId: ID!) {
    studyReport(studyId: $studyId) {
      phases {
        phase fleissKappa fleissPValue
        readers {
          readerLabel
          figures { ${FIGURES} }
          kappaVsTruth { kappa lower upper pValue } kappaVsAi { kappa lower upper pValue }
          mcnemarVsAi { onlyReaderCorrect onlyAiCorrect bothCorrect bothWrong pValue }
          accuracyDifferenceVsAi { difference lower upper }
          delongVsAi { subtype readerAuc aiAuc pValue }
        }
        readerPairs { first second kappa { kappa lower upper } }
        regions { key a b c d total }
        regionsByReader { key a b c d total }
      }
    }
  }`,
  /* GraphQL */ `
    query ReportCases($studyId: ID!) {
      studyReport(studyId: $studyId) {
        statistics
        cases {
          code
          siteCode
          truth
          aiAnswer
          images {
            id
            laterality
            view
            widthPx
            heightPx
            displayUrl
          }
          aiHeatmaps {
            imageId
            url
          }
          reads {
            readerLabel
            phase
            answer
            confidence
            isCorrect
            region
            roi {
              imageId
              shape
              geometry
            }
          }
        }
      }
    }
  `,
];

// apps/web/src/app/(app)/reading/[studyId]/page.tsx with apps/web/src/lib/reading.ts
export const NEXT_CASE = /* GraphQL */ `
  query Next($studyId: ID!) {
    myNextCase(studyId: $studyId) {
      studyId
      caseCode
      caseCount
      position
      phase
      images {
        id
        laterality
        view
        widthPx
        heightPx
        displayUrl
      }
      questions {
        id
        kind
        prompt
        options
        isRequired
        position
      }
      myUnaidedRead {
        answer
        confidence
        roi {
          imageId
          shape
          geometry
        }
      }
      ai {
        answer
        probabilities {
          subtype
          probability
        }
        heatmaps {
          imageId
          url
        }
      }
    }
    myReaderStudies {
      studyId
      studyName
      arm
      status
      caseCount
    }
  }
`;

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
