import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

// Listing cases with their findings, breasts, images, labels and annotations costs a constant number of SQL
// statements (one per kind of row, through per-request data loaders), not one per case.
const LISTING = /* GraphQL */ `
  query Listing($first: Int!) {
    cases(first: $first) {
      edges {
        node {
          id
          accessionKey
          patientPseudonym
          labelStatus
          truth
          site {
            code
          }
          pathologyLabels {
            subtype
            isCurrent
            author {
              name
            }
            finding {
              key
            }
          }
          findings {
            key
            labelStatus
            createdBy {
              name
            }
            case {
              accessionKey
            }
            consensus {
              subtype
              decidedBy {
                name
              }
            }
          }
          breasts {
            laterality
            truth
          }
          images {
            id
            laterality
            view
            annotations {
              id
              shape
              geometry
              author {
                name
              }
              image {
                id
              }
              finding {
                key
              }
            }
          }
        }
      }
    }
  }
`;

type Listing = {
  cases: {
    edges: {
      node: {
        accessionKey: string;
        images: { annotations: { finding: { key: string } | null }[] }[];
        pathologyLabels: { author: { name: string }; finding: { key: string } }[];
        findings: {
          createdBy: { name: string };
          case: { accessionKey: string };
          consensus: { decidedBy: { name: string } };
        }[];
      };
    }[];
  };
};

describe("the case listing's SQL statements", () => {
  let api: TestApi;
  let viewer: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    viewer = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    // 100 cases of four views, each with two labels, a consensus and a lesion outline on one image (rows only:
    // the listing never reads pixels).
    for (let i = 0; i < 100; i++) {
      const patient = await api.db.patient.create({ data: { siteId: site.id, pseudonym: `P-${i}`, dateShiftDays: 0 } });
      const c = await api.db.case.create({
        data: { siteId: site.id, patientId: patient.id, accessionKey: `A-${String(i).padStart(3, "0")}` },
      });
      await api.db.image.createMany({
        data: (["R", "L"] as const).flatMap((laterality) =>
          (["CC", "MLO"] as const).map((view) => ({
            caseId: c.id,
            laterality,
            view,
            widthPx: 100,
            heightPx: 100,
            bitsStored: 8,
            photometric: "MONOCHROME2" as const,
            sourceFormat: "PNG" as const,
            contentSha256: `${laterality === "R" ? "a" : "b"}${view === "CC" ? "c" : "d"}`.padEnd(64, "0"),
            storageKey: "unused",
          })),
        ),
      });
      const finding = await api.db.finding.create({
        data: { caseId: c.id, laterality: "R", key: "F1", createdById: viewer },
      });
      await api.db.pathologyLabel.create({
        data: { findingId: finding.id, subtype: "SOLID", source: "BIOPSY", authorId: viewer },
      });
      await api.db.pathologyLabel.create({
        data: { findingId: finding.id, subtype: "SOLID", source: "SURGERY", authorId: viewer },
      });
      await api.db.consensusDecision.create({
        data: { findingId: finding.id, subtype: "SOLID", method: "ADJUDICATED", decidedById: viewer },
      });
      const image = await api.db.image.findFirstOrThrow({ where: { caseId: c.id, laterality: "R", view: "CC" } });
      await api.db.annotation.create({
        data: {
          imageId: image.id,
          authorId: viewer,
          purpose: "LESION",
          shape: "POINT",
          geometry: { x: 5, y: 5 },
          findingId: finding.id,
        },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await api.stop();
  });

  async function statementsFor(first: number) {
    api.statements.reset();
    const data = await api.as<Listing>(viewer, LISTING, { first });
    const nodes = data.cases.edges.map((e) => e.node);
    expect(nodes).toHaveLength(first);
    expect(
      nodes.every(
        (n) =>
          n.images.length === 4 && n.pathologyLabels.length === 2 && n.images.some((i) => i.annotations.length === 1),
      ),
    ).toBe(true);
    // The fields that go back up (a finding's case, a region's finding) and the people behind each row.
    expect(
      nodes.every(
        (n) =>
          n.findings.every(
            (f) => f.case.accessionKey === n.accessionKey && f.createdBy.name && f.consensus.decidedBy.name,
          ) &&
          n.pathologyLabels.every((l) => l.finding.key === "F1" && l.author.name) &&
          n.images.every((i) => i.annotations.every((a) => a.finding?.key === "F1")),
      ),
    ).toBe(true);
    return api.statements.list();
  }

  it("is the same for 10 and for 60 cases, and small", async () => {
    // 60: the most this listing may ask in one query (about 300 of the complexity limit's 20 000 per case).
    const ten = await statementsFor(10);
    const sixty = await statementsFor(60);
    expect(sixty.length, sixty.join("\n")).toBe(ten.length);
    // One statement per kind of row (cases, patients, sites, findings, breasts, labels, decisions, images, regions),
    // per way back up (a finding's case and its patient, a label's or region's finding, a region's image) and for
    // the people behind the rows once per level of the query they appear at; 3 to authenticate. 60 cases cost
    // 199 statements before the ways back up and the people were loaded per request.
    expect(sixty.length, sixty.join("\n")).toBeLessThanOrEqual(20);
  });
});
