import "server-only";
import type { ExplorerCase } from "@/components/studies/region-explorer";
import { graphql } from "./graphql";

// The closed study's report as the page shows it (query `studyReport`).
export type Interval = { estimate: number; lower: number; upper: number; successes: number; total: number };
export type Kappa = { kappa: number; lower: number; upper: number; pValue: number } | null;
export type ClassFigures = {
  subtype: string;
  support: number;
  sensitivity: Interval | null;
  specificity: Interval | null;
  auc: { auc: number; lower: number; upper: number } | null;
};
export type Figures = {
  cases: number;
  accuracy: Interval;
  perClass: ClassFigures[];
  confusionMatrix: { truth: string; counts: number[] }[];
};
export type ReaderFigures = {
  readerLabel: string;
  figures: Figures;
  kappaVsTruth: Kappa;
  kappaVsAi: Kappa;
  mcnemarVsAi: {
    onlyReaderCorrect: number;
    onlyAiCorrect: number;
    bothCorrect: number;
    bothWrong: number;
    pValue: number;
  } | null;
  accuracyDifferenceVsAi: { difference: number; lower: number; upper: number } | null;
  delongVsAi: { subtype: string; readerAuc: number | null; aiAuc: number | null; pValue: number | null }[] | null;
};
export type Regions = { key: string; a: number; b: number; c: number; d: number; total: number };
export type Phase = {
  phase: "UNAIDED" | "AIDED";
  readers: ReaderFigures[];
  readerPairs: { first: string; second: string; kappa: { kappa: number; lower: number; upper: number } }[];
  fleissKappa: number | null;
  fleissPValue: number | null;
  regions: Regions;
  regionsByReader: Regions[];
};
export type RocJson =
  { className: string; curve: { fpr: number; tpr: number }[]; estimate: { auc: number } | null }[] | null;
export type AiVsReaders = {
  className: string;
  result: {
    aiAuc: number;
    meanReaderAuc: number;
    meanDifference: number;
    lower: number;
    upper: number;
    pValue: number;
  };
};
export type Statistics = {
  ai: { roc: RocJson } | null;
  arms: { modality: string; readers: { readerId: string; roc: RocJson }[]; aiVsReaders: AiVsReaders[] | null }[];
} | null;
export type Mrmc = {
  subtype: string;
  readers: string[];
  unaidedAuc: number;
  aidedAuc: number | null;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  f: number;
  ddf: number | null;
  pValue: number;
};
export type ReportReader = { label: string; name: string; email: string; arm: string };
export type ReaderEffort = {
  readerLabel: string;
  phase: "UNAIDED" | "AIDED";
  reads: number;
  confidencesGiven: number;
  timedReads: number;
  medianReadingMs: number | null;
  totalReadingMs: number;
};
export type Report = {
  studyName: string;
  /** What each study case code stands for: a marked finding, a breast or a case. */
  unit: "FINDING" | "BREAST" | "CASE";
  closedAt: string | null;
  classes: string[];
  notes: string[];
  readers: ReportReader[];
  ai: Figures | null;
  phases: Phase[];
  mrmc: Mrmc[] | null;
  excludedCases: { code: string; reason: string }[];
  effort: ReaderEffort[];
  statistics: Statistics;
  cases: ExplorerCase[];
};

const FIGURES = `cases accuracy { estimate lower upper successes total } perClass { subtype support sensitivity { estimate lower upper successes total } specificity { estimate lower upper successes total } auc { auc lower upper } } confusionMatrix { truth counts }`;
// Three requests: the API's query limits (breadth 100 fields per operation) keep one request from
// asking for the whole report at once.
const SUMMARY_QUERY = /* GraphQL */ `
  query Report($studyId: ID!) {
    studyReport(studyId: $studyId) {
      studyName unit closedAt classes notes
      readers { label name email arm }
      ai { ${FIGURES} }
      mrmc { subtype readers unaidedAuc aidedAuc difference lower upper f ddf pValue }
      excludedCases { code reason }
      effort { readerLabel phase reads confidencesGiven timedReads medianReadingMs totalReadingMs }
    }
  }
`;
const PHASES_QUERY = /* GraphQL */ `
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
  }
`;
const CASES_QUERY = /* GraphQL */ `
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
          method
          layerName
          score
        }
        reads {
          readerLabel
          phase
          answer
          confidence
          readingTimeMs
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
`;

/** The whole report of a closed study (throws GraphQLRequestError as the API answers). */
export async function loadStudyReport(studyId: string): Promise<Report> {
  const [summary, phases, details] = await Promise.all([
    graphql<{ studyReport: Omit<Report, "phases" | "statistics" | "cases"> }>(SUMMARY_QUERY, { studyId }),
    graphql<{ studyReport: Pick<Report, "phases"> }>(PHASES_QUERY, { studyId }),
    graphql<{ studyReport: Pick<Report, "statistics" | "cases"> }>(CASES_QUERY, { studyId }),
  ]);
  return { ...summary.studyReport, ...phases.studyReport, ...details.studyReport };
}
