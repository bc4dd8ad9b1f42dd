import type { Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, findingOf, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateDatasetInput!) {
    createDataset(input: $input) {
      id
      name
      filter {
        subtypes
        siteIds
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateDatasetInput!) {
    updateDataset(input: $input) {
      id
      filter {
        views
      }
    }
  }
`;
const PREVIEW = /* GraphQL */ `
  query Preview($id: ID!, $options: SplitOptionsInput) {
    previewDataset(datasetId: $id, options: $options) {
      unit
      itemCount
      unitCount
      caseCount
      patientCount
      classNames
      digest
      counts {
        site {
          code
        }
        subtype
        split
        images
        units
        cases
        patients
      }
      excluded {
        unlabelled
        conflict
        mixed
        otherClass
        withoutConsensus
        unknownBreast
        otherFindingInBreast
      }
    }
  }
`;
const FREEZE = /* GraphQL */ `
  mutation Freeze($input: FreezeDatasetInput!) {
    freezeDatasetVersion(input: $input) {
      id
      version
      digest
      seed
      foldCount
      itemCount
      classNames
      splitFractions {
        train
        validation
        test
      }
    }
  }
`;
const VERSION = /* GraphQL */ `
  query Version($id: ID!, $split: DatasetSplit, $after: String) {
    datasetVersion(id: $id) {
      version
      itemCount
      dataset {
        name
        versions {
          version
        }
      }
      counts {
        subtype
        split
        images
      }
      items(split: $split, first: 7, after: $after) {
        edges {
          node {
            imageId
            caseId
            subtype
            split
            fold
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
const DATASETS = /* GraphQL */ `
  query {
    datasets(first: 20) {
      edges {
        node {
          id
          name
          versions {
            version
          }
        }
      }
    }
  }
`;

type Preview = {
  unit: string;
  itemCount: number;
  unitCount: number;
  caseCount: number;
  patientCount: number;
  classNames: string[];
  digest: string;
  counts: { subtype: string; split: string; images: number; patients: number }[];
  excluded: Record<string, number>;
};
type Item = { imageId: string; caseId: string; subtype: string; split: string; fold: number | null };

describe("datasets: define, preview, freeze by patient", () => {
  let api: TestApi;
  let site: { id: string; code: string };
  let otherSite: { id: string };
  let coordinator: string;
  let mlEngineer: string;
  let otherCoordinator: string;
  let datasetId: string;
  const cases: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi();
    site = await createSite(api.db);
    otherSite = await createSite(api.db);
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    mlEngineer = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    otherCoordinator = (await createUser(api.db, [{ siteId: otherSite.id, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    const labelled = async (name: string, subtypes: Subtype[], patientId?: string) => {
      const c = await createCase(api.db, api.blobs, site.id, { patientId });
      for (const s of subtypes) await createLabel(api.db, c.id, annotator, s);
      cases[name] = c.id;
      return c;
    };
    // Twelve usable cases of 11 patients (one woman has two exams), and three that cannot enter.
    // Each case's labels describe one finding on its right breast (two of its four images).
    const twice = await labelled("solid-1a", ["SOLID"]);
    await labelled("solid-1b", ["SOLID"], twice.patientId);
    for (let i = 2; i <= 6; i++) await labelled(`solid-${i}`, ["SOLID"]);
    for (let i = 1; i <= 5; i++) await labelled(`scirrhous-${i}`, ["SCIRRHOUS", "SCIRRHOUS"]);
    await labelled("conflict", ["SOLID", "SCIRRHOUS"]);
    await labelled("unlabelled", []);
    await labelled("tubule", ["TUBULE_FORMING"]);
    const created = await api.as<{ createDataset: { id: string } }>(coordinator, CREATE, {
      input: {
        siteId: globalId("Site", site.id),
        name: "IDC subtypes",
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "SCIRRHOUS"] },
      },
    });
    datasetId = created.createDataset.id;
  });
  afterAll(async () => {
    await api.stop();
  });

  const preview = async (options?: Record<string, unknown>) =>
    (await api.as<{ previewDataset: Preview }>(coordinator, PREVIEW, { id: datasetId, options })).previewDataset;
  const allItems = async (userId: string, versionId: string, split?: string) => {
    const items: Item[] = [];
    let after: string | null = null;
    do {
      const page: {
        datasetVersion: { items: { edges: { node: Item }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      } = await api.as(userId, VERSION, {
        id: versionId,
        split,
        after,
      });
      items.push(...page.datasetVersion.items.edges.map((e) => e.node));
      after = page.datasetVersion.items.pageInfo.hasNextPage ? page.datasetVersion.items.pageInfo.endCursor : null;
    } while (after);
    return items;
  };

  it("previews class balance and split per site; conflicting and other-class findings stay out", async () => {
    const p = await preview({ seed: 7, fractions: { train: 0.6, validation: 0.2, test: 0.2 }, folds: 2 });
    expect(p).toMatchObject({
      unit: "FINDING",
      itemCount: 12 * 2,
      unitCount: 12,
      caseCount: 12,
      patientCount: 11,
      classNames: ["SOLID", "SCIRRHOUS"],
    });
    // The unlabelled case has no finding: nothing of it is a unit.
    expect(p.excluded).toEqual({
      unlabelled: 0,
      conflict: 1,
      mixed: 0,
      otherClass: 1,
      withoutConsensus: 0,
      unknownBreast: 0,
      otherFindingInBreast: 0,
    });
    const images = (subtype: string) => p.counts.filter((c) => c.subtype === subtype).reduce((n, c) => n + c.images, 0);
    expect([images("SOLID"), images("SCIRRHOUS")]).toEqual([14, 10]);
    expect(new Set(p.counts.map((c) => c.split))).toEqual(new Set(["TRAIN", "VALIDATION", "TEST"]));
    // Writes nothing.
    expect(await api.db.datasetVersion.count()).toBe(0);
  });

  it("freezes an immutable version whose digest the preview predicted; one woman's images never span two splits", async () => {
    const options = { seed: 7, fractions: { train: 0.6, validation: 0.2, test: 0.2 }, folds: 2 };
    const predicted = (await preview(options)).digest;
    const frozen = (
      await api.as<{ freezeDatasetVersion: { id: string; version: number; digest: string } }>(coordinator, FREEZE, {
        input: { datasetId, options, note: "first" },
      })
    ).freezeDatasetVersion;
    expect(frozen).toMatchObject({
      version: 1,
      digest: predicted,
      seed: 7,
      foldCount: 2,
      itemCount: 24,
      classNames: ["SOLID", "SCIRRHOUS"],
      splitFractions: options.fractions,
    });
    const rows = await api.db.datasetItem.findMany({
      where: { datasetVersionId: Buffer.from(frozen.id, "base64").toString().split(":")[1] },
    });
    const splitsOf = new Map<string, Set<string>>();
    for (const r of rows) splitsOf.set(r.patientId, (splitsOf.get(r.patientId) ?? new Set()).add(r.split));
    expect([...splitsOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(rows.every((r) => (r.split === "TEST") === (r.fold === null))).toBe(true);
    expect(await api.db.auditEvent.count({ where: { action: "datasetVersion.create" } })).toBe(1);

    // Same data, same seed: the same digest; a new version number.
    const again = (
      await api.as<{ freezeDatasetVersion: { version: number; digest: string } }>(coordinator, FREEZE, {
        input: { datasetId, options },
      })
    ).freezeDatasetVersion;
    expect(again).toMatchObject({ version: 2, digest: predicted });
    const otherSeed = await preview({ ...options, seed: 8 });
    expect(otherSeed.digest).not.toBe(predicted);
  });

  it("lists a version's contents page by page, by split, with per-split counts", async () => {
    const version = await api.db.datasetVersion.findFirstOrThrow({ where: { version: 1 } });
    const id = globalId("DatasetVersion", version.id);
    const items = await allItems(mlEngineer, id);
    expect(items).toHaveLength(24);
    expect(new Set(items.map((i) => i.imageId)).size).toBe(24);
    const test = await allItems(mlEngineer, id, "TEST");
    expect(test.length).toBeGreaterThan(0);
    expect(test.every((i) => i.split === "TEST" && i.fold === null)).toBe(true);
    const detail = (
      await api.as<{ datasetVersion: { dataset: { versions: { version: number }[] }; counts: { images: number }[] } }>(
        mlEngineer,
        VERSION,
        { id },
      )
    ).datasetVersion;
    expect(detail.dataset.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(detail.counts.reduce((n, c) => n + c.images, 0)).toBe(24);
  });

  it("a frozen version's counts give cases and patients per site, class and split, as its preview did (issue 16)", async () => {
    const options = { seed: 7, fractions: { train: 0.6, validation: 0.2, test: 0.2 }, folds: 2 };
    const version = await api.db.datasetVersion.findFirstOrThrow({ where: { version: 1 } });
    const COUNTS = /* GraphQL */ `
      query Counts($id: ID!) {
        datasetVersion(id: $id) {
          counts {
            site {
              code
            }
            subtype
            split
            units
            images
            cases
            patients
          }
        }
      }
    `;
    type Count = {
      site: { code: string };
      subtype: string;
      split: string;
      images: number;
      cases: number | null;
      patients: number | null;
    };
    const frozen = (
      await api.as<{ datasetVersion: { counts: Count[] } }>(mlEngineer, COUNTS, {
        id: globalId("DatasetVersion", version.id),
      })
    ).datasetVersion.counts;
    const previewed = (await preview(options)).counts as unknown as Count[];
    expect(frozen.every((c) => c.cases !== null && c.patients !== null)).toBe(true);
    const key = (c: Count) => `${c.subtype}/${c.split}`;
    expect([...frozen].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...previewed].sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  it("a frozen version keeps its contents when labels change later; the next preview sees the change", async () => {
    await createLabel(api.db, cases["solid-2"]!, coordinator, "SCIRRHOUS");
    const p = await preview({ seed: 7, fractions: { train: 0.6, validation: 0.2, test: 0.2 }, folds: 2 });
    expect(p.itemCount).toBe(22);
    expect(p.excluded.conflict).toBe(2);
    expect(await api.db.datasetItem.count({ where: { datasetVersion: { version: 1 } } })).toBe(24);
  });

  it("requireConsensus takes only adjudicated findings", async () => {
    await api.as(coordinator, UPDATE, {
      input: {
        datasetId,
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "SCIRRHOUS"], requireConsensus: true },
      },
    });
    await api.db.consensusDecision.create({
      data: {
        findingId: (await findingOf(api.db, cases.conflict!, coordinator)).id,
        subtype: "SOLID",
        method: "ADJUDICATED",
        decidedById: coordinator,
        rationale: "board",
      },
    });
    const p = await preview();
    expect(p.caseCount).toBe(1);
    expect(p.excluded.withoutConsensus).toBeGreaterThan(0);
    await api.as(coordinator, UPDATE, {
      input: { datasetId, filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "SCIRRHOUS"] } },
    });
  });

  it("validates options and filters, naming the field; a single class cannot be frozen", async () => {
    const badFractions = await api.tryAs(coordinator, FREEZE, {
      input: { datasetId, options: { fractions: { train: 0.5, validation: 0.1, test: 0.1 } } },
    });
    expect(badFractions.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "options.fractions" });
    const badFolds = await api.tryAs(coordinator, PREVIEW, { id: datasetId, options: { folds: 0 } });
    expect(badFolds.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "folds" });
    const oneClass = await api.tryAs(coordinator, CREATE, {
      input: {
        siteId: globalId("Site", site.id),
        name: "x",
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID"] },
      },
    });
    expect(oneClass.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.subtypes" });
    const tubuleOnly = await api.as<{ createDataset: { id: string } }>(coordinator, CREATE, {
      input: {
        siteId: globalId("Site", site.id),
        name: "sparse",
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["TUBULE_FORMING", "BENIGN"] },
      },
    });
    const frozen = await api.tryAs(coordinator, FREEZE, { input: { datasetId: tubuleOnly.createDataset.id } });
    expect(frozen.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter" });
    const duplicate = await api.tryAs(coordinator, CREATE, {
      input: {
        siteId: globalId("Site", site.id),
        name: "IDC subtypes",
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "BENIGN"] },
      },
    });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("coordinators define and freeze; ML engineers only read; another site sees nothing and cannot draw this site's cases", async () => {
    expect(errorCode(await api.tryAs(mlEngineer, FREEZE, { input: { datasetId } }))).toBe("FORBIDDEN");
    expect((await api.as<{ datasets: { edges: unknown[] } }>(mlEngineer, DATASETS)).datasets.edges.length).toBe(2);
    expect((await api.as<{ datasets: { edges: unknown[] } }>(otherCoordinator, DATASETS)).datasets.edges).toEqual([]);
    expect(errorCode(await api.tryAs(otherCoordinator, PREVIEW, { id: datasetId }))).toBe("NOT_FOUND");
    const grab = await api.tryAs(otherCoordinator, CREATE, {
      input: {
        siteId: globalId("Site", otherSite.id),
        name: "grab",
        filter: { siteIds: [globalId("Site", site.id)], subtypes: ["SOLID", "SCIRRHOUS"] },
      },
    });
    expect(grab.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", field: "filter.siteIds" });
  });

  it("leaves out the items of an open study's cases for its readers (the items carry truth)", async () => {
    const readerCoordinator = (
      await createUser(api.db, [
        { siteId: site.id, role: "COORDINATOR" },
        { siteId: site.id, role: "READER" },
      ])
    ).id;
    const study = await api.db.readerStudy.create({
      data: { siteId: site.id, name: "open", seed: 1, createdById: coordinator, status: "OPEN" },
    });
    const arm = await api.db.studyArm.create({ data: { studyId: study.id, kind: "UNAIDED", name: "Unaided" } });
    await api.db.studyCase.create({ data: { studyId: study.id, caseId: cases["scirrhous-1"]!, code: "C-1" } });
    await api.db.studyReader.create({ data: { studyId: study.id, userId: readerCoordinator, armId: arm.id } });
    const version = await api.db.datasetVersion.findFirstOrThrow({ where: { version: 1 } });
    const items = await allItems(readerCoordinator, globalId("DatasetVersion", version.id));
    expect(items).toHaveLength(22);
    expect(items.map((i) => i.caseId)).not.toContain(globalId("Case", cases["scirrhous-1"]!));
  });
});
