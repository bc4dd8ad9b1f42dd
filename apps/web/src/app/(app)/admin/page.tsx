import {
  AddMembershipForm,
  CreateUserForm,
  DisableUserButton,
  RemoveMembershipButton,
} from "@/components/admin/admin-forms";
import { graphql } from "@/lib/graphql";
import { roleLabel } from "@/lib/labels";
import { currentSite, getMe, sitesWithRole, userGlobalId } from "@/lib/viewer-context";

type Member = {
  id: string;
  name: string;
  email: string;
  disabledAt: string | null;
  hasPassword: boolean;
  isSingleSignOnLinked: boolean;
  memberships: { id: string; role: string; site: { id: string; code: string } }[];
};

const QUERY = /* GraphQL */ `
  query Members($siteId: ID!) {
    siteMembers(siteId: $siteId, first: 200) {
      edges {
        node {
          id
          name
          email
          disabledAt
          hasPassword
          isSingleSignOnLinked
          memberships {
            id
            role
            site {
              id
              code
            }
          }
        }
      }
    }
  }
`;

export default async function AdminPage({ searchParams }: { searchParams: Promise<{ site?: string }> }) {
  const me = (await getMe())!;
  const adminSites = sitesWithRole(me, "ADMIN");
  const chosen = await currentSite(me);
  const search = await searchParams;
  const site =
    adminSites.find((s) => s.id === search.site) ?? adminSites.find((s) => s.id === chosen?.id) ?? adminSites[0];
  if (!site) return <p className="panel muted">Only site administrators manage people.</p>;
  const { siteMembers } = await graphql<{ siteMembers: { edges: { node: Member }[] } }>(QUERY, { siteId: site.id });
  return (
    <section className="stack">
      <h1>People of {site.name}</h1>
      <table aria-label="Site members">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Roles here</th>
            <th>Sign-in</th>
            <th>Account</th>
          </tr>
        </thead>
        <tbody>
          {siteMembers.edges.map(({ node: u }) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                {u.memberships
                  .filter((m) => m.site.id === site.id)
                  .map((m) => (
                    <span key={m.id} className="badge role-badge">
                      {roleLabel(m.role)}{" "}
                      <RemoveMembershipButton id={m.id} label={`${m.role.toLowerCase()} role of ${u.email}`} />
                    </span>
                  ))}
              </td>
              <td className="muted">
                {[u.hasPassword ? "password" : null, u.isSingleSignOnLinked ? "single sign-on" : null]
                  .filter(Boolean)
                  .join(", ") || "none"}
              </td>
              <td>
                {u.disabledAt ? <span className="badge tone-bad">disabled</span> : null}{" "}
                {u.id !== userGlobalId(me) ? (
                  <DisableUserButton id={u.id} isDisabled={Boolean(u.disabledAt)} email={u.email} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel">
        <h2>Give a role to an existing user</h2>
        <AddMembershipForm siteId={site.id} />
      </div>
      <div className="panel">
        <h2>New account</h2>
        <CreateUserForm siteId={site.id} />
      </div>
    </section>
  );
}
