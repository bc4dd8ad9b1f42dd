import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { stepPath } from "@/lib/reading";

type Assignment = { studyId: string; studyName: string; caseCount: number };

/** A study's reading: the reader's current step (its own URL), or the end when every case is read. */
export default async function ReadingStudyPage({ params }: { params: Promise<{ studyId: string }> }) {
  const studyId = decodeURIComponent((await params).studyId);
  let data: { myNextCase: { caseCode: string; phase: "UNAIDED" | "AIDED" } | null; myReaderStudies: Assignment[] };
  try {
    data = await graphql(
      `
        query Next($studyId: ID!) {
          myNextCase(studyId: $studyId) {
            caseCode
            phase
          }
          myReaderStudies {
            studyId
            studyName
            caseCount
          }
        }
      `,
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
  if (data.myNextCase) redirect(stepPath(studyId, data.myNextCase));
  const assignment = data.myReaderStudies.find((a) => a.studyId === studyId);
  return (
    <section className="stack">
      <p>
        <Link href="/reading">← My studies</Link>
      </p>
      <div className="panel stack" role="status">
        <h1>{assignment?.studyName ?? "Reader study"}</h1>
        <p>
          <strong>All {assignment?.caseCount ?? ""} cases read.</strong> Your reads are locked; thank you.
        </p>
        <p>
          <Link href={`/reading/${encodeURIComponent(studyId)}/reads`}>Your reads</Link> (corrections with a reason)
        </p>
      </div>
    </section>
  );
}
