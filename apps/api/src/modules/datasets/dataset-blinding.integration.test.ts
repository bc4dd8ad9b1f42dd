// Finding 5 of the security review: a coordinator who also reads an open study of the site saw
// the study's cases in a dataset version's totals (counts, itemCount) and in previewDataset,
// while `items` left them out. Every aggregate must start from the same visibility rule as the
// rows. Checked through GraphQL only (how the version is built may change).
import type { Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { createStudy } from "../../../test/study-factories.ts";

const VERSION = /* GraphQL */ `
  query ($id: ID!) {
    datasetVersion(id: $id) {
      itemCount
      counts {
        subtype
        images
      }
      items(first: 500) {
        edges {
          node {
            caseId
            subtype
          }
        }
      }
    }
  }
`;
const PREVIEW = /* GraphQL */ `
  query ($id: ID!) {
    previewDataset(datasetId: $id) {
      itemCount
      caseCount
      patientCount
      classNames
      counts {
        subtype
        images
        cases
        patients
      }
      excluded {
        unlabelled
        conflict
        otherClass
        withoutConsensus
      }
    }
  }
`;
type Version = {
  datasetVersion: {
    itemCount: number;
    counts: { subtype: Subtype; images: number }[];
    items: { edges: { node: { caseId: string; subtype: Subtype } }[] };
  };
};
type Preview = {
  previewDataset: {
    itemCount: number;
    caseCount: number;
    patientCount: number;
    counts: { subtype: Subtype; images: number; cases: number; patients: number }[];
    excluded: { unlabelled: number; conflict: number };
  };
};

describe("finding 5: dataset totals of a reader who also coordinates leave out the blinded cases, like the items", () => {
  let api: TestApi;
  let coordinator: string;
  let dualRole: string;
  let datasetId: string;
  let versionId: string;
  const SUBTYPES: Subtype[] = [
    "SOLID",
    "SCIRRHOUS",
    "TUBULE_FORMING",
    "SOLID",
    "SCIRRHOUS",
    "SOLID",
    "SCIRRHOUS",
    "SOLID",
  ];

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    dualRole = (
      await createUser(api.db, [
        { siteId: site.id, role: "COORDINATOR" },
        { siteId: site.id, role: "READER" },
      ])
    ).id;
    const caseIds: string[] = [];
    for (const subtype of SUBTYPES) {
      const c = await createCase(api.db, api.blobs, site.id);
      await createLabel(api.db, c.id, annotator, subtype);
      caseIds.push(c.id);
    }
    // A conflicting case, also in the study: it must not show up in the excluded counts either.
    const conflict = await createCase(api.db, api.blobs, site.id);
    await createLabel(api.db, conflict.id, annotator, "SOLID");
    await createLabel(api.db, conflict.id, annotator, "SCIRRHOUS");
    // The open study: three labelled cases (SOLID, SCIRRHOUS, TUBULE_FORMING) and the conflict.
    await createStudy(api.db, {
      siteId: site.id,
      createdById: coordinator,
      caseIds: [...caseIds.slice(0, 3), conflict.id],
      readers: [{ userId: dualRole, arm: "UNAIDED" }],
    });
    const created = await api.as<{ createDataset: { id: string } }>(
      coordinator,
      `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`,
      {
        input: {
          siteId: globalId("Site", site.id),
          name: "blinding totals",
          filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "SCIRRHOUS", "TUBULE_FORMING"] },
        },
      },
    );
    datasetId = created.createDataset.id;
    const frozen = await api.as<{ freezeDatasetVersion: { id: string } }>(
      coordinator,
      `mutation ($input: FreezeDatasetInput!) { freezeDatasetVersion(input: $input) { id } }`,
      { input: { datasetId, options: { folds: 1 } } },
    );
    versionId = frozen.freezeDatasetVersion.id;
  });
  afterAll(async () => {
    await api.stop();
  });

  // Each case's label is on its right breast's finding (factories' createLabel): a finding unit
  // of the breast's two images (CC and MLO).
  const IMAGES = 2;
  const sum = (counts: { images: number }[]) => counts.reduce((n, c) => n + c.images, 0);

  it("finding 5: counts and itemCount of a version add up to the items the reader is shown", async () => {
    const all = (await api.as<Version>(coordinator, VERSION, { id: versionId })).datasetVersion;
    expect(all.itemCount).toBe(SUBTYPES.length * IMAGES);
    const seen = (await api.as<Version>(dualRole, VERSION, { id: versionId })).datasetVersion;
    const items = seen.items.edges.map((e) => e.node);
    expect(items).toHaveLength((SUBTYPES.length - 3) * IMAGES);
    expect(seen.itemCount).toBe(items.length);
    expect(sum(seen.counts)).toBe(items.length);
    for (const subtype of new Set(items.map((i) => i.subtype)))
      expect(sum(seen.counts.filter((c) => c.subtype === subtype)), subtype).toBe(
        items.filter((i) => i.subtype === subtype).length,
      );
  });

  it("finding 5: previewDataset counts only the cases the reader may see (images, cases, patients, exclusions)", async () => {
    const seen = (await api.as<Version>(dualRole, VERSION, { id: versionId })).datasetVersion;
    const items = seen.items.edges.map((e) => e.node);
    const preview = (await api.as<Preview>(dualRole, PREVIEW, { id: datasetId })).previewDataset;
    expect(preview.itemCount).toBe(items.length);
    expect(preview.caseCount).toBe(new Set(items.map((i) => i.caseId)).size);
    expect(preview.patientCount).toBe(preview.caseCount); // one patient per case here
    expect(sum(preview.counts)).toBe(items.length);
    expect(preview.counts.reduce((n, c) => n + c.cases, 0)).toBe(preview.caseCount);
    expect(preview.excluded.conflict).toBe(0);
    // The coordinator who reads nothing sees the whole selection, the conflict among the exclusions.
    const full = (await api.as<Preview>(coordinator, PREVIEW, { id: datasetId })).previewDataset;
    expect(full.itemCount).toBe(SUBTYPES.length * IMAGES);
    expect(full.excluded.conflict).toBe(1);
  });
});
