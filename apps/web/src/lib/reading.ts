/** An image of a reading step as the API gives it. */
export type ReadingImage = {
  id: string;
  laterality: "R" | "L";
  view: string;
  widthPx: number;
  heightPx: number;
  displayUrl: string;
};

/** The reader's current step as the API gives it (myNextCase / submitRead.next). */
export type ReadingTask = {
  studyId: string;
  caseCode: string;
  caseCount: number;
  position: number;
  phase: "UNAIDED" | "AIDED";
  /** What the question is about: a marked finding, a breast, or the whole case. */
  unit: "FINDING" | "BREAST" | "CASE";
  laterality: "R" | "L" | null;
  findingMarks: { imageId: string; shape: string; geometry: unknown }[];
  images: ReadingImage[];
  /** The next case's images, fetched ahead while this one is read. */
  upcomingImages: ReadingImage[];
  questions: {
    id: string;
    kind: "SUBTYPE" | "CONFIDENCE" | "ROI";
    prompt: string;
    options: string[];
    isRequired: boolean;
    position: number;
  }[];
  myUnaidedRead: {
    answer: string;
    confidence: number | null;
    roi: { imageId: string; shape: string; geometry: unknown } | null;
  } | null;
  ai: {
    answer: string;
    probabilities: { subtype: string; probability: number }[];
    heatmaps: { imageId: string; url: string; method: string; layerName: string; score: string }[];
  } | null;
};

export const READING_TASK_FIELDS = /* GraphQL */ `
  studyId caseCode caseCount position phase unit laterality
  findingMarks { imageId shape geometry }
  images { id laterality view widthPx heightPx displayUrl }
  upcomingImages { id laterality view widthPx heightPx displayUrl }
  questions { id kind prompt options isRequired position }
  myUnaidedRead { answer confidence roi { imageId shape geometry } }
  ai { answer probabilities { subtype probability } heatmaps { imageId url method layerName score } }
`;

/** A step's own page: the URL follows the reader's current step, so Back and Forward land on steps. */
export const stepPath = (studyId: string, step: { caseCode: string; phase: "UNAIDED" | "AIDED" }) =>
  `/reading/${encodeURIComponent(studyId)}/${encodeURIComponent(step.caseCode)}/${step.phase.toLowerCase()}`;

/** The study's reading page (redirects to the current step, or says all is read). */
export const studyReadingPath = (studyId: string) => `/reading/${encodeURIComponent(studyId)}`;

export const isSameStep = (a: Pick<ReadingTask, "caseCode" | "phase"> | null, b: typeof a) =>
  a === b || (a !== null && b !== null && a.caseCode === b.caseCode && a.phase === b.phase);
