import Link from "next/link";
import { StatusBadge } from "@/components/common/status-badge";
import { graphql } from "@/lib/graphql";

type Assignment = {
  studyId: string;
  studyName: string;
  studyDescription: string | null;
  arm: string;
  status: string;
  caseCount: number;
  progress: { unaidedReads: number; aidedReads: number };
  nextCase: { position: number } | null;
};

const QUERY = /* GraphQL */ `
  query MyStudies {
    myReaderStudies {
      studyId
      studyName
      studyDescription
      arm
      status
      caseCount
      progress {
        unaidedReads
        aidedReads
      }
      nextCase {
        position
      }
    }
  }
`;

export default async function ReadingPage() {
  const { myReaderStudies } = await graphql<{ myReaderStudies: Assignment[] }>(QUERY);
  return (
    <section className="stack">
      <h1>Reading</h1>
      {myReaderStudies.length === 0 ? (
        <p className="muted panel">You are not assigned to any open reader study.</p>
      ) : (
        <table aria-label="My reader studies">
          <thead>
            <tr>
              <th>Study</th>
              <th>Arm</th>
              <th>Status</th>
              <th>Read</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {myReaderStudies.map((a) => {
              const isDone = a.status !== "OPEN" || !a.nextCase;
              return (
                <tr key={a.studyId}>
                  <td>
                    {a.studyName}
                    {a.studyDescription ? <div className="muted">{a.studyDescription}</div> : null}
                  </td>
                  <td>{a.arm === "AIDED" ? "AI-aided (after your own read)" : "Unaided"}</td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td>
                    {a.progress.unaidedReads} / {a.caseCount}
                  </td>
                  <td>
                    {a.status === "OPEN" && a.nextCase ? (
                      <Link href={`/reading/${encodeURIComponent(a.studyId)}`} className="button-link">
                        {a.progress.unaidedReads === 0 ? "Start reading" : "Continue reading"}
                      </Link>
                    ) : isDone && a.status === "OPEN" ? (
                      <span className="muted">All cases read</span>
                    ) : (
                      <span className="muted">Closed</span>
                    )}{" "}
                    <Link href={`/reading/${encodeURIComponent(a.studyId)}/reads`} className="small">
                      Your reads
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
