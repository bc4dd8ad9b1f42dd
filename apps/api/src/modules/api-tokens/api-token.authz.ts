import { hashApiToken, newApiTokenSecret } from "../../auth/api-token.ts";
import {
  defineAuthz,
  globalIdOf,
  SIGNED_IN,
  type Actor,
  type AuthzWorld,
  type SiteFixture,
} from "../../../test/authz/authz.ts";

const NAME = { own: "authz-own", other: "authz-other" } as const;

/** Own site: a token of the acting user. Other site: a token of one of that site's users. */
async function tokenFor(site: SiteFixture, world: AuthzWorld, actor: Actor): Promise<string | null> {
  const userId = site.key === "own" ? world.userOf(actor) : site.users.ADMIN;
  if (!userId) return null;
  const secret = newApiTokenSecret();
  const token = await world.api.db.apiToken.create({
    data: {
      userId,
      name: NAME[site.key],
      tokenHash: hashApiToken(secret),
      tokenPrefix: secret.slice(0, 10),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return token.id;
}

const tokenVariable = async (site: SiteFixture, world: AuthzWorld, actor: Actor) => {
  const id = (await tokenFor(site, world, actor)) ?? (await tokenFor(world.other, world, actor))!;
  return { id: globalIdOf("ApiToken", id) };
};

export default defineAuthz({
  entries: [
    {
      field: "Query.myApiTokens",
      document: "query { myApiTokens { id name } }",
      variables: async (site, world, actor) => (await tokenFor(site, world, actor), {}),
      allowed: SIGNED_IN,
      rows: (data, site) => data.myApiTokens.filter((t: { name: string }) => t.name === NAME[site.key]),
    },
    {
      field: "Query.node",
      name: "ApiToken",
      document: "query ($id: ID!) { node(id: $id) { id ... on ApiToken { name } } }",
      variables: tokenVariable,
      allowed: SIGNED_IN,
    },
    {
      field: "Query.siteApiTokens",
      document: "query ($s: ID!) { siteApiTokens(siteId: $s) { id name } }",
      variables: async (site, world, actor) => (
        await tokenFor(site, world, actor),
        { s: globalIdOf("Site", site.siteId) }
      ),
      allowed: ["ADMIN"],
      rows: (data, site) => data.siteApiTokens.filter((t: { name: string }) => t.name === NAME[site.key]),
    },
    {
      field: "Mutation.createApiToken",
      document: "mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { id } } }",
      variables: () => ({ input: { name: "matrix", expiresInDays: 1 } }),
      allowed: SIGNED_IN,
      allowedOnOtherSite: SIGNED_IN, // one's own token: no site involved
    },
    {
      field: "Mutation.revokeApiToken",
      document: "mutation ($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }",
      variables: tokenVariable,
      allowed: SIGNED_IN,
    },
  ],
});
