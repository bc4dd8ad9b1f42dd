/** A reader study as its page shows it (query readerStudy). */
export type Study = {
  id: string;
  name: string;
  description: string | null;
  status: "DRAFT" | "OPEN" | "CLOSED";
  unit: "FINDING" | "BREAST" | "CASE";
  seed: number;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  site: { id: string; code: string };
  modelVersion: { id: string; name: string; version: number } | null;
  arms: { id: string; kind: string; name: string }[];
  questions: { id: string; kind: string; prompt: string; options: string[]; isRequired: boolean }[];
  readers: StudyReaderRow[];
  cases: {
    edges: {
      node: {
        id: string;
        code: string;
        laterality: "R" | "L" | null;
        finding: { key: string; laterality: "R" | "L" | null } | null;
        case: { id: string; accessionKey: string } | null;
      };
    }[];
    pageInfo: { hasNextPage: boolean };
  };
};
export type StudyReaderRow = {
  id: string;
  email: string;
  userName: string;
  arm: { kind: string; name: string };
  progress: { caseCount: number; unaidedReads: number; aidedReads: number; isComplete: boolean };
};
export type InferenceRunRow = { id: string; status: string; createdAt: string; error: string | null };

/** What a study's reads answer for, in words. */
export const UNIT_WORDS = {
  FINDING: "readers answer per marked finding",
  BREAST: "readers answer per breast",
  CASE: "readers answer per case",
} as const;

/** Reads a reader owes: each case once, twice in the aided arm (unaided, then aided). */
export const readsDue = (r: StudyReaderRow) =>
  r.arm.kind === "AIDED" ? r.progress.caseCount * 2 : r.progress.caseCount;
export const readsDone = (r: StudyReaderRow) => r.progress.unaidedReads + r.progress.aidedReads;
