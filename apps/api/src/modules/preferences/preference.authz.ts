import { defineAuthz, SIGNED_IN } from "../../../test/authz/authz.ts";

// Settings are the viewer's own: every signed-in user reads and changes theirs, nobody else's.
export default defineAuthz({
  entries: [
    {
      field: "Query.myPreferences",
      document: "query { myPreferences { hangingProtocol } }",
      variables: () => ({}),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN,
    },
    {
      field: "Mutation.updateMyPreferences",
      document: "mutation ($input: UpdatePreferencesInput!) { updateMyPreferences(input: $input) { hangingProtocol } }",
      variables: () => ({ input: { hangingProtocol: "TWO_BY_TWO" } }),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN,
    },
  ],
});
