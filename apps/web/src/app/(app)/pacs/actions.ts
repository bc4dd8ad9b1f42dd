"use server";

import { revalidatePath } from "next/cache";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import type { FormState } from "@/lib/form-state";

export type PacsStudy = {
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  accessionNumber: string;
  studyDate: string | null;
  description: string;
  instanceCount: number | null;
  importedCaseId: string | null;
};
export type SearchState = FormState & { connectionId: string | null; studies: PacsStudy[] | null };

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim() || null;

export async function createPacsConnectionAction(_previous: FormState, form: FormData): Promise<FormState> {
  const name = text(form, "name");
  try {
    await graphql(
      `
        mutation Create($input: CreatePacsConnectionInput!) {
          createPacsConnection(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          siteId: form.get("siteId"),
          name,
          baseUrl: text(form, "baseUrl"),
          authKind: form.get("authKind"),
          username: text(form, "username"),
          password: text(form, "password"),
          token: text(form, "token"),
        },
      },
    );
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  revalidatePath("/pacs");
  return { error: null, message: `PACS ${name} added.` };
}

const SEARCH = /* GraphQL */ `
  query Search($input: SearchPacsInput!) {
    searchPacs(input: $input) {
      studyInstanceUid
      patientId
      patientName
      accessionNumber
      studyDate
      description
      instanceCount
      importedCaseId
    }
  }
`;

export async function searchPacsAction(_previous: SearchState, form: FormData): Promise<SearchState> {
  const connectionId = String(form.get("connectionId") ?? "");
  try {
    const { searchPacs } = await graphql<{ searchPacs: PacsStudy[] }>(SEARCH, {
      input: {
        connectionId,
        patientId: text(form, "patientId"),
        accessionNumber: text(form, "accessionNumber"),
        studyDateFrom: text(form, "studyDateFrom"),
        studyDateTo: text(form, "studyDateTo"),
      },
    });
    return {
      error: null,
      message: `${searchPacs.length} ${searchPacs.length === 1 ? "study" : "studies"} found.`,
      connectionId,
      studies: searchPacs,
    };
  } catch (error) {
    if (error instanceof GraphQLRequestError)
      return { error: error.message, message: null, connectionId, studies: null };
    throw error;
  }
}

export async function importPacsStudiesAction(_previous: FormState, form: FormData): Promise<FormState> {
  const uids = form.getAll("studyInstanceUid").map(String);
  if (uids.length === 0) return { error: "Choose at least one study.", message: null };
  try {
    await graphql(
      `
        mutation Import($input: RequestPacsImportInput!) {
          requestPacsImport(input: $input) {
            id
          }
        }
      `,
      {
        input: { connectionId: form.get("connectionId"), studyInstanceUids: uids },
      },
    );
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  revalidatePath("/pacs");
  return { error: null, message: `Import of ${uids.length} ${uids.length === 1 ? "study" : "studies"} queued.` };
}
