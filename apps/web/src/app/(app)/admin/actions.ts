"use server";

import { revalidatePath } from "next/cache";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import type { FormState } from "@/lib/form-state";

async function run(mutation: string, variables: Record<string, unknown>, message: string): Promise<FormState> {
  try {
    await graphql(mutation, variables);
  } catch (error) {
    if (error instanceof GraphQLRequestError) return { error: error.message, message: null };
    throw error;
  }
  revalidatePath("/admin");
  return { error: null, message };
}

export async function createUserAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  return run(
    `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    {
      input: {
        email,
        name: String(form.get("name") ?? "").trim(),
        password: password || null,
        roles: form.getAll("roles").map(String),
        siteId: form.get("siteId"),
      },
    },
    `${email} created.`,
  );
}

export async function addMembershipAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "").trim();
  return run(
    `mutation Add($input: AddMembershipInput!) { addMembership(input: $input) { id } }`,
    { input: { email, role: form.get("role"), siteId: form.get("siteId") } },
    `Role given to ${email}.`,
  );
}

export async function removeMembershipAction(id: string): Promise<FormState> {
  return run(`mutation Remove($id: ID!) { removeMembership(id: $id) { id } }`, { id }, "Role removed.");
}

export async function setUserDisabledAction(id: string, isDisabled: boolean): Promise<FormState> {
  return run(
    isDisabled
      ? `mutation Disable($id: ID!) { disableUser(id: $id) { id } }`
      : `mutation Enable($id: ID!) { enableUser(id: $id) { id } }`,
    { id },
    isDisabled ? "Account disabled." : "Account enabled.",
  );
}
