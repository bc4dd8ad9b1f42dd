import Link from "next/link";

/** The end of a reader's study. */
export function ReadingDone(props: { studyId: string; studyName: string; caseCount: number; submitted: number }) {
  const { submitted } = props;
  return (
    <div className="panel stack" role="status">
      <h1>{props.studyName}</h1>
      <p>
        <strong>All {props.caseCount} cases read.</strong>{" "}
        {submitted ? `You submitted ${submitted} read${submitted === 1 ? "" : "s"} in this session.` : ""} Your reads
        are locked; thank you.
      </p>
      <p>
        <Link href={`/reading/${encodeURIComponent(props.studyId)}/reads`}>Your reads</Link> (corrections with a reason)
      </p>
    </div>
  );
}
