import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { StatusBadge } from "@/components/common/status-badge";
import { StatusButton } from "@/components/studies/study-forms";
import { AiPanel, CasesPanel, DesignPanel, ReadersPanel, StudySummary } from "@/components/studies/study-panels";
import { readsDone, readsDue, type InferenceRunRow, type Study } from "@/components/studies/study-types";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { graphqlOr } from "@/lib/safe-graphql";
import { getMe, sitesWithRole } from "@/lib/viewer-context";

const QUERY = /* GraphQL */ `
  query Study($id: ID!) {
    readerStudy(id: $id) {
      id
      name
      description
      status
      unit
      seed
      createdAt
      openedAt
      closedAt
      site {
        id
        code
      }
      modelVersion {
        id
        name
        version
      }
      arms {
        id
        kind
        name
      }
      questions {
        id
        kind
        prompt
        options
        isRequired
      }
      readers {
        id
        email
        userName
        arm {
          kind
          name
        }
        progress {
          caseCount
          unaidedReads
          aidedReads
          isComplete
        }
      }
      cases(first: 200) {
        edges {
          node {
            id
            code
            laterality
            finding {
              key
              laterality
            }
            case {
              id
              accessionKey
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;
const INFERENCE = /* GraphQL */ `
  query StudyInference($studyId: ID!, $modelVersionId: ID!) {
    inferenceRuns(first: 5, studyId: $studyId, modelVersionId: $modelVersionId) {
      edges {
        node {
          id
          status
          createdAt
          error
        }
      }
    }
  }
`;
/** A reader study: its design while a draft, reading progress while open, the report once closed. */
export default async function StudyPage({ params }: { params: Promise<{ studyId: string }> }) {
  const id = decodeURIComponent((await params).studyId);
  let study: Study;
  try {
    study = (await graphql<{ readerStudy: Study }>(QUERY, { id })).readerStudy;
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    throw error;
  }
  const me = await getMe();
  const runs: InferenceRunRow[] = study.modelVersion
    ? (
        await graphqlOr<{ inferenceRuns: { edges: { node: InferenceRunRow }[] } }>(
          { inferenceRuns: { edges: [] } },
          INFERENCE,
          { studyId: study.id, modelVersionId: study.modelVersion.id },
        )
      ).inferenceRuns.edges.map((e) => e.node)
    : [];
  const unfinished = study.readers
    .filter((r) => !r.progress.isComplete)
    .map((r) => `${r.userName} (${readsDone(r)} of ${readsDue(r)} reads)`);
  return (
    <section className="stack">
      <p>
        <Link href="/studies">← Reader studies</Link>
      </p>
      <h1>
        {study.name} <StatusBadge status={study.status} />{" "}
        <AutoRefresh
          isActive={study.status === "OPEN" || runs.some((r) => r.status === "QUEUED" || r.status === "RUNNING")}
          intervalMs={4000}
        />
      </h1>
      <StudySummary study={study} />
      {study.status === "CLOSED" ? (
        <p className="panel">
          Reading is closed. <Link href={`/studies/${encodeURIComponent(study.id)}/report`}>Open the report</Link>
        </p>
      ) : null}
      <ReadersPanel study={study} />
      <CasesPanel study={study} sites={me ? sitesWithRole(me, "COORDINATOR") : []} />
      <AiPanel study={study} runs={runs} />
      <DesignPanel study={study} />
      {study.status === "DRAFT" ? (
        <StatusButton
          studyId={study.id}
          to="OPEN"
          disabled={study.cases.edges.length === 0 || study.readers.length === 0}
        />
      ) : null}
      {study.status === "OPEN" ? <StatusButton studyId={study.id} to="CLOSED" unfinished={unfinished} /> : null}
    </section>
  );
}
