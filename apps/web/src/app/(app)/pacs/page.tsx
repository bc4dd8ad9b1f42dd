import Link from "next/link";
import { AutoRefresh } from "@/components/common/auto-refresh";
import { DataTable } from "@/components/common/data-table";
import { CreatePacsForm, PacsSearch } from "@/components/pacs/pacs-forms";
import { graphql } from "@/lib/graphql";
import { currentSite, getMe, sitesWithRole } from "@/lib/viewer-context";

type Connection = { id: string; name: string; baseUrl: string; authKind: string };
type PacsImport = {
  id: string;
  connectionName: string;
  status: string;
  error: string | null;
  studyCount: number;
  studiesDone: number;
  createdAt: string;
  studies: {
    studyInstanceUid: string;
    status: string;
    imageCount: number;
    quarantinedCount: number;
    caseId: string | null;
    results: { sopInstanceUid: string; code: string; message: string }[];
  }[];
};

const QUERY = /* GraphQL */ `
  query Pacs($siteId: ID!) {
    pacsConnections(siteId: $siteId) {
      id
      name
      baseUrl
      authKind
    }
    pacsImports(siteId: $siteId) {
      id
      connectionName
      status
      error
      studyCount
      studiesDone
      createdAt
      studies {
        studyInstanceUid
        status
        imageCount
        quarantinedCount
        caseId
        results {
          sopInstanceUid
          code
          message
        }
      }
    }
  }
`;

export default async function PacsPage({ searchParams }: { searchParams: Promise<{ site?: string }> }) {
  const me = (await getMe())!;
  const sites = sitesWithRole(me, "ADMIN", "COORDINATOR");
  const chosen = await currentSite(me);
  const search = await searchParams;
  const site = sites.find((s) => s.id === search.site) ?? sites.find((s) => s.id === chosen?.id) ?? sites[0];
  if (!site) return <p className="panel muted">Only site admins and coordinators work with the PACS.</p>;
  const isAdmin = sitesWithRole(me, "ADMIN").some((s) => s.id === site.id);
  const { pacsConnections, pacsImports } = await graphql<{ pacsConnections: Connection[]; pacsImports: PacsImport[] }>(
    QUERY,
    { siteId: site.id },
  );
  const isRunning = pacsImports.some((i) => i.status === "QUEUED" || i.status === "RUNNING");
  return (
    <section className="stack">
      <h1>PACS of {site.name}</h1>
      <AutoRefresh isActive={isRunning} hasBadge={false} />
      <DataTable label="PACS connections" columns={["Name", "DICOMweb URL", "Authentication"]}>
        {pacsConnections.map((c) => (
          <tr key={c.id}>
            <td>{c.name}</td>
            <td>{c.baseUrl}</td>
            <td>{c.authKind.toLowerCase()}</td>
          </tr>
        ))}
      </DataTable>
      {pacsConnections.length === 0 && <p className="muted">No PACS yet{isAdmin ? "" : ": a site admin adds one"}.</p>}
      {isAdmin && (
        <div className="panel">
          <h2>Add a PACS</h2>
          <CreatePacsForm siteId={site.id} />
        </div>
      )}
      {pacsConnections.length > 0 && (
        <div className="panel">
          <h2>Search and import</h2>
          <PacsSearch connections={pacsConnections} />
        </div>
      )}
      <div className="panel">
        <h2>Imports</h2>
        <DataTable label="PACS imports" columns={["Started", "PACS", "Status", "Studies", "Results"]}>
          {pacsImports.map((i) => (
            <tr key={i.id} data-testid="pacs-import">
              <td>{new Date(i.createdAt).toLocaleString()}</td>
              <td>{i.connectionName}</td>
              <td>
                {i.status.toLowerCase()}
                {i.error && <span className="error"> {i.error}</span>}
              </td>
              <td>
                {i.studiesDone} of {i.studyCount}
              </td>
              <td>
                <ul>
                  {i.studies.map((s) => (
                    <li key={s.studyInstanceUid}>
                      {s.caseId ? <Link href={`/cases/${encodeURIComponent(s.caseId)}`}>case</Link> : "study"}{" "}
                      {s.status.toLowerCase().replace("_", " ")}, {s.imageCount} images
                      {s.quarantinedCount > 0 && `, ${s.quarantinedCount} quarantined`}
                      {s.results.map((r) => (
                        <div key={`${r.sopInstanceUid}-${r.code}`} className="muted">
                          {r.code}: {r.message}
                        </div>
                      ))}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  );
}
