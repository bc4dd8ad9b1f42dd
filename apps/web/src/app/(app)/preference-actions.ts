"use server";

import type { HangingProtocol } from "@/lib/hanging";
import { graphql } from "@/lib/graphql";

/** Saves the viewer's hanging protocol (their own setting, kept on the server across machines). */
export async function saveHangingProtocolAction(hangingProtocol: HangingProtocol): Promise<void> {
  await graphql(
    `
      mutation Save($input: UpdatePreferencesInput!) {
        updateMyPreferences(input: $input) {
          hangingProtocol
        }
      }
    `,
    { input: { hangingProtocol } },
  );
}
