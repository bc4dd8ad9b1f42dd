import Link from "next/link";
import { notFound } from "next/navigation";
import { ReadingSession } from "@/components/reading/reading-session";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { READING_TASK_FIELDS, type ReadingTask } from "@/lib/reading";

type Assignment = { studyId: string; studyName: string; arm: string; status: string; caseCount: number };

export default async function ReadingStudyPage({ params }: { params: Promise<{ studyId: string }> }) {
  const studyId = decodeURIComponent((await params).studyId);
  let data: { myNextCase: ReadingTask | null; myReaderStudies: Assignment[] };
  try {
    data = await graphql(
      `query Next($studyId: ID!) { myNextCase(studyId: $studyId) { ${READING_TASK_FIELDS} } myReaderStudies { studyId studyName arm status caseCount } }`,
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
  const assignment =
    data.myReaderStudies.find((a) => a.studyId === studyId || data.myNextCase?.studyId === a.studyId) ??
    data.myReaderStudies[0];
  return (
    <section className="stack reading">
      <p>
        <Link href="/reading">← My studies</Link>
      </p>
      <ReadingSession
        studyName={assignment?.studyName ?? "Reader study"}
        initialTask={data.myNextCase}
        caseCount={assignment?.caseCount ?? data.myNextCase?.caseCount ?? 0}
      />
    </section>
  );
}
