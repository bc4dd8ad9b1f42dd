"use client";

import { useActionState, useState } from "react";
import { Feedback, FeedbackAndSubmit } from "@/components/common/form-feedback";
import { InputField, SelectField } from "@/components/common/form-fields";
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
        <InputField id="pacs-name" label="Name" name="name" required />
        <InputField
          id="pacs-url"
          label="DICOMweb URL"
          name="baseUrl"
          type="url"
          placeholder="https://pacs.example/dicom-web"
          required
        />
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
          <InputField id="pacs-user" label="User" name="username" autoComplete="off" required />
          <InputField
            id="pacs-password"
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
          />
        </div>
      )}
      {authKind === "BEARER" && (
        <InputField id="pacs-token" label="Token" name="token" type="password" autoComplete="off" required />
      )}
      <FeedbackAndSubmit state={state} isDisabled={isPending}>
        Add PACS
      </FeedbackAndSubmit>
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
        <SelectField
          id="ps-connection"
          label="PACS"
          name="connectionId"
          options={connections.map((c) => ({ value: c.id, label: c.name }))}
        />
        <InputField id="ps-patient" label="Patient ID" name="patientId" />
        <InputField id="ps-accession" label="Accession number" name="accessionNumber" />
        <InputField id="ps-from" label="Study date from" name="studyDateFrom" type="date" />
        <InputField id="ps-to" label="to" name="studyDateTo" type="date" />
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
          <FeedbackAndSubmit state={imported} isDisabled={isImporting}>
            Import selected
          </FeedbackAndSubmit>
        </form>
      )}
    </div>
  );
}
