import Link from "next/link";
import { notFound } from "next/navigation";
import { MyReads, type MyRead } from "@/components/reading/my-reads";
import { graphql, GraphQLRequestError } from "@/lib/graphql";

type Assignment = {
  studyId: string;
  studyName: string;
  arm: "UNAIDED" | "AIDED";
  status: string;
  questions: { kind: string; options: string[]; isRequired: boolean }[];
};

/** The reader's own reads of a study, every version, with corrections (a reason each). */
export default async function MyReadsPage({ params }: { params: Promise<{ studyId: string }> }) {
  const studyId = decodeURIComponent((await params).studyId);
  let data: { myReads: MyRead[]; myReaderStudies: Assignment[] };
  try {
    data = await graphql(
      `
        query Reads($studyId: ID!) {
          myReads(studyId: $studyId) {
            id
            caseCode
            phase
            version
            answer
            confidence
            submittedAt
            correctionReason
          }
          myReaderStudies {
            studyId
            studyName
            arm
            status
            questions {
              kind
              options
              isRequired
            }
          }
        }
      `,
      { studyId },
    );
  } catch (error) {
    if (error instanceof GraphQLRequestError && ["NOT_FOUND", "BAD_USER_INPUT", "FORBIDDEN"].includes(error.code ?? ""))
      notFound();
    throw error;
  }
  const assignment = data.myReaderStudies.find((a) => a.studyId === studyId);
  if (!assignment) notFound();
  return (
    <section className="stack">
      <p>
        <Link href="/reading">← My studies</Link>
      </p>
      <h1>Your reads: {assignment.studyName}</h1>
      <MyReads
        reads={data.myReads}
        isOpen={assignment.status === "OPEN"}
        isAidedArm={assignment.arm === "AIDED"}
        options={assignment.questions.find((q) => q.kind === "SUBTYPE")?.options ?? []}
        asksConfidence={assignment.questions.some((q) => q.kind === "CONFIDENCE")}
      />
    </section>
  );
}
