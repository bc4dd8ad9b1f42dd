import { hashPassword } from "../../auth/password.ts";
import { defineAuthz, EVERYONE, SIGNED_IN } from "../../../test/authz/authz.ts";
import { createUser } from "../../../test/factories.ts";

const PASSWORD = "authz-matrix-password";

export default defineAuthz({
  async setup(world) {
    const passwordHash = await hashPassword(PASSWORD);
    // Every actor knows their own password (changePassword below).
    await world.api.db.user.updateMany({ data: { passwordHash } });
    for (const site of [world.own, world.other]) {
      site.ids.loginEmail = (
        await createUser(world.api.db, [{ siteId: site.siteId, role: "READER" }], { passwordHash })
      ).email;
    }
  },
  entries: [
    {
      field: "Query.me",
      document: "query { me { id email memberships { role site { code } } } }",
      variables: () => ({}),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN, // about the viewer, not a site
      rows: (data) => data.me,
    },
    {
      field: "Mutation.login",
      document: "mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { id } }",
      variables: (site) => ({ email: site.ids.loginEmail, password: PASSWORD }),
      allowed: EVERYONE, // public: the credentials are the authorisation
      allowedOnOtherSite: EVERYONE,
    },
    {
      field: "Mutation.signOut",
      document: "mutation { signOut }",
      variables: () => ({}),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN, // one's own session: no site involved
    },
    {
      field: "Mutation.changePassword",
      document: "mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
      variables: () => ({ c: PASSWORD, n: PASSWORD }),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN, // one's own account: no site involved
    },
    {
      // Single sign-on is not configured in the matrix's API: refused for everyone (the OIDC
      // integration test covers a configured issuer).
      field: "Mutation.signInWithOidc",
      document: "mutation ($t: String!) { signInWithOidc(idToken: $t) { id } }",
      variables: () => ({ t: "not.a.token" }),
      allowed: [],
    },
  ],
});
