// The base world of the authorisation matrix: two sites with one user per role each, a user with
// no membership, and at each site a case with images, a labelled finding outlined on an image and
// a frozen dataset version. Module setups (src/modules/<x>/<x>.authz.ts) add their own objects.
import { Role } from "@mammo/db";
import type { TestApi } from "../harness.ts";
import {
  createAnnotation,
  createCase,
  createFrozenDataset,
  createLabel,
  createSite,
  createUser,
} from "../factories.ts";
import type { Actor, AuthzWorld, SiteFixture } from "./authz.ts";

async function createSiteFixture(api: TestApi, key: SiteFixture["key"]): Promise<SiteFixture> {
  const site = await createSite(api.db);
  const users = {} as Record<Role, string>;
  for (const role of Object.values(Role)) users[role] = (await createUser(api.db, [{ siteId: site.id, role }])).id;
  const c = await createCase(api.db, api.blobs, site.id);
  const images = await api.db.image.findMany({ where: { caseId: c.id }, orderBy: { createdAt: "asc" } });
  const label = await createLabel(api.db, c.id, users.ANNOTATOR, "SCIRRHOUS");
  const annotation = await createAnnotation(api.db, images[0]!.id, users.ANNOTATOR, label.findingId);
  const { dataset, version } = await createFrozenDataset(api.db, site.id, users.COORDINATOR, [
    { id: c.id, patientId: c.patientId, subtype: "SCIRRHOUS" },
  ]);
  return {
    key,
    siteId: site.id,
    siteCode: site.code,
    users,
    ids: {
      caseId: c.id,
      patientId: c.patientId,
      imageId: images[0]!.id,
      labelId: label.id,
      findingId: label.findingId,
      annotationId: annotation.id,
      datasetId: dataset.id,
      datasetVersionId: version.id,
    },
  };
}

export async function createAuthzWorld(api: TestApi): Promise<AuthzWorld> {
  const own = await createSiteFixture(api, "own");
  const other = await createSiteFixture(api, "other");
  const noMembershipUserId = (await createUser(api.db, [])).id;
  const userOf = (actor: Actor) =>
    actor === "ANONYMOUS" ? null : actor === "NO_MEMBERSHIP" ? noMembershipUserId : own.users[actor];
  return { api, own, other, noMembershipUserId, userOf };
}
