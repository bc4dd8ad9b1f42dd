"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { Feedback } from "@/components/common/form-feedback";
import { DataTable } from "@/components/common/data-table";
import { INITIAL_FORM_STATE as initial } from "@/lib/form-state";
import {
  createPacsConnectionAction,
  importPacsStudiesAction,
  searchPacsAction,
  type SearchState,
} from "@/app/(app)/pacs/actions";

export function CreatePacsForm({ siteId }: { siteId: string }) {
  const [state, action, isPending] = useActionState(createPacsConnectionAction, initial);
  const [authKind, setAuthKind] = useState("NONE");
  return (
    <form action={action} className="stack" aria-label="New PACS">
      <input type="hidden" name="siteId" value={siteId} />
      <div className="row">
        <div className="field">
          <label htmlFor="pacs-name">Name</label>
          <input id="pacs-name" name="name" required />
        </div>
        <div className="field">
          <label htmlFor="pacs-url">DICOMweb URL</label>
          <input id="pacs-url" name="baseUrl" type="url" placeholder="https://pacs.example/dicom-web" required />
        </div>
        <div className="field">
          <label htmlFor="pacs-auth">Authentication</label>
          <select id="pacs-auth" name="authKind" value={authKind} onChange={(e) => setAuthKind(e.target.value)}>
            <option value="NONE">none</option>
            <option value="BASIC">basic (user and password)</option>
            <option value="BEARER">bearer token</option>
          </select>
        </div>
      </div>
      {authKind === "BASIC" && (
        <div className="row">
          <div className="field">
            <label htmlFor="pacs-user">User</label>
            <input id="pacs-user" name="username" autoComplete="off" required />
          </div>
          <div className="field">
            <label htmlFor="pacs-password">Password</label>
            <input id="pacs-password" name="password" type="password" autoComplete="new-password" required />
          </div>
        </div>
      )}
      {authKind === "BEARER" && (
        <div className="field">
          <label htmlFor="pacs-token">Token</label>
          <input id="pacs-token" name="token" type="password" autoComplete="off" required />
        </div>
      )}
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        Add PACS
      </button>
    </form>
  );
}

const INITIAL_SEARCH: SearchState = { ...initial, connectionId: null, studies: null };

export function PacsSearch({ connections }: { connections: { id: string; name: string }[] }) {
  const [search, searchAction, isSearching] = useActionState(searchPacsAction, INITIAL_SEARCH);
  const [imported, importAction, isImporting] = useActionState(importPacsStudiesAction, initial);
  return (
    <div className="stack">
      <form action={searchAction} className="row" aria-label="Search the PACS">
        <div className="field">
          <label htmlFor="ps-connection">PACS</label>
          <select id="ps-connection" name="connectionId">
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ps-patient">Patient ID</label>
          <input id="ps-patient" name="patientId" />
        </div>
        <div className="field">
          <label htmlFor="ps-accession">Accession number</label>
          <input id="ps-accession" name="accessionNumber" />
        </div>
        <div className="field">
          <label htmlFor="ps-from">Study date from</label>
          <input id="ps-from" name="studyDateFrom" type="date" />
        </div>
        <div className="field">
          <label htmlFor="ps-to">to</label>
          <input id="ps-to" name="studyDateTo" type="date" />
        </div>
        <button type="submit" disabled={isSearching}>
          Search
        </button>
      </form>
      <Feedback state={search} />
      {search.studies && search.studies.length > 0 && (
        <form action={importAction} className="stack" aria-label="Studies found">
          <input type="hidden" name="connectionId" value={search.connectionId ?? ""} />
          <DataTable label="PACS studies" columns={["Import", "Patient", "Accession", "Date", "Images", "Description"]}>
            {search.studies.map((s) => (
              <tr key={s.studyInstanceUid}>
                <td>
                  {s.importedCaseId ? (
                    <a href={`/cases/${encodeURIComponent(s.importedCaseId)}`}>imported</a>
                  ) : (
                    <input
                      type="checkbox"
                      name="studyInstanceUid"
                      value={s.studyInstanceUid}
                      aria-label={`Import ${s.accessionNumber || s.studyInstanceUid}`}
                    />
                  )}
                </td>
                <td>
                  {s.patientName} ({s.patientId})
                </td>
                <td>{s.accessionNumber}</td>
                <td>{s.studyDate ?? ""}</td>
                <td>{s.instanceCount ?? ""}</td>
                <td>{s.description}</td>
              </tr>
            ))}
          </DataTable>
          <Feedback state={imported} />
          <button type="submit" className="primary" disabled={isImporting}>
            Import selected
          </button>
        </form>
      )}
    </div>
  );
}

/** Reloads the page's data every 2 s while an import is still running. */
export function RefreshWhileRunning({ isRunning }: { isRunning: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [isRunning, router]);
  return null;
}
