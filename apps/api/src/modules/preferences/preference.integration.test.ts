import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

const GET = "query { myPreferences { hangingProtocol } }";
const SET = "mutation ($input: UpdatePreferencesInput!) { updateMyPreferences(input: $input) { hangingProtocol } }";

describe("preferences (each user's own)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  it("starts with the 1x4 hanging, keeps each user's choice apart, and names a bad value", async () => {
    const site = await createSite(api.db);
    const reader = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
    const other = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
    expect(await api.as(reader, GET)).toEqual({ myPreferences: { hangingProtocol: "ONE_BY_FOUR" } });
    await api.as(reader, SET, { input: { hangingProtocol: "TWO_BY_TWO" } });
    expect(await api.as(reader, GET)).toEqual({ myPreferences: { hangingProtocol: "TWO_BY_TWO" } });
    expect(await api.as(other, GET)).toEqual({ myPreferences: { hangingProtocol: "ONE_BY_FOUR" } });
    const bad = await api.tryAs(reader, SET, { input: { hangingProtocol: "THREE_BY_THREE" } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await api.tryAs(null, GET)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
