import { notFound, redirect } from "next/navigation";
import { ReadingSession } from "@/components/reading/reading-session";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { PREFERENCES_FIELDS, type HangingProtocol } from "@/lib/hanging";
import { READING_TASK_FIELDS, isSameStep, stepPath, studyReadingPath, type ReadingTask } from "@/lib/reading";

type Assignment = { studyId: string; studyName: string };
type Params = { studyId: string; caseCode: string; phase: string };

/**
 * One step of a reader's study. Only the reader's current step is shown: any other step's URL
 * (Back after an answer, an old bookmark) redirects to the current one.
 */
export default async function ReadingStepPage({ params }: { params: Promise<Params> }) {
  const raw = await params;
  const studyId = decodeURIComponent(raw.studyId);
  const step = { caseCode: decodeURIComponent(raw.caseCode), phase: raw.phase.toUpperCase() as "UNAIDED" | "AIDED" };
  let data: {
    myNextCase: ReadingTask | null;
    myReaderStudies: Assignment[];
    myPreferences: { hangingProtocol: HangingProtocol };
  };
  try {
    data = await graphql(
      `query Step($studyId: ID!) { myNextCase(studyId: $studyId) { ${READING_TASK_FIELDS} } myReaderStudies { studyId studyName } ${PREFERENCES_FIELDS} }`,
      { studyId },
    );
  } catch (error) {
    if (
      error instanceof GraphQLRequestError &&
      (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT" || error.code === "FORBIDDEN")
    )
      notFound();
    throw error;
  }
  if (!data.myNextCase) redirect(studyReadingPath(studyId));
  if (!isSameStep(data.myNextCase, step)) redirect(stepPath(studyId, data.myNextCase));
  const assignment = data.myReaderStudies.find((a) => a.studyId === studyId);
  return (
    <ReadingSession
      studyId={studyId}
      studyName={assignment?.studyName ?? "Reader study"}
      initialTask={data.myNextCase}
      hangingProtocol={data.myPreferences.hangingProtocol}
    />
  );
}
