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
  images: { id: string; laterality: "R" | "L"; view: string; widthPx: number; heightPx: number; displayUrl: string }[];
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
    heatmaps: { imageId: string; url: string }[];
  } | null;
};

export const READING_TASK_FIELDS = /* GraphQL */ `
  studyId caseCode caseCount position phase unit laterality
  findingMarks { imageId shape geometry }
  images { id laterality view widthPx heightPx displayUrl }
  questions { id kind prompt options isRequired position }
  myUnaidedRead { answer confidence roi { imageId shape geometry } }
  ai { answer probabilities { subtype probability } heatmaps { imageId url } }
`;
