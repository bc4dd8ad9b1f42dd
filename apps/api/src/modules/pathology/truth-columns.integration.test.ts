// Issue 18, must-show 3: the truth the database keeps in columns (Finding, Breast, Case: updated
// by triggers in the transaction of every change) equals a recomputation from the labels and
// decisions with the rule in memory (case-truth.ts), after every step of random sequences of
// labels, corrections, retractions, consensus decisions, findings moved between breasts and bulk
// SQL inserts, as the API's own data-only database role.
import type { Db, Laterality, Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createSite, createUser } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import type { Viewer } from "../../auth/viewer.ts";
import { seededRandom } from "../../lib/seeded-random.ts";
import { breastsNamed, breastTruth, caseTruth, currentLabels, findingTruth } from "./case-truth.ts";
import { decideConsensus } from "./consensus.service.ts";
import { createFinding, updateFinding } from "./finding.service.ts";
import { addPathologyLabel, correctPathologyLabel, retractPathologyLabel } from "./pathology-label.service.ts";

const SUBTYPES: Subtype[] = ["SOLID", "SCIRRHOUS", "BENIGN", "NORMAL"];
const STEPS = 160;

/** The truth of every finding, breast and case of `caseIds`: kept (columns) and recomputed (in memory). */
async function keptAndRecomputed(db: Db, caseIds: string[]) {
  const cases = await db.case.findMany({
    where: { id: { in: caseIds } },
    include: {
      breasts: true,
      findings: { include: { pathologyLabels: true, consensusDecisions: { where: { supersededAt: null } } } },
    },
    orderBy: { id: "asc" },
  });
  const kept: unknown[] = [];
  const recomputed: unknown[] = [];
  for (const c of cases) {
    const findings = c.findings.map((f) => ({
      laterality: f.laterality,
      ...findingTruth(f.pathologyLabels, f.consensusDecisions[0] ?? null),
    }));
    const named = breastsNamed(findings);
    const breasts = (["R", "L"] as const).map((side) => ({
      side,
      ...(named.includes(side) ? breastTruth(findings, side) : { status: "UNLABELLED" as const, subtype: null }),
    }));
    const caseTruthNow = caseTruth(findings, breasts);
    for (const [i, f] of c.findings.entries()) {
      kept.push([f.id, f.truthStatus, f.truthSubtype, f.truthMethod]);
      recomputed.push([f.id, findings[i]!.status, findings[i]!.subtype, findings[i]!.method]);
    }
    for (const b of breasts) {
      const row = c.breasts.find((r) => r.laterality === b.side);
      // Every breast a finding names has its row; a row no finding names any more is UNLABELLED.
      kept.push([
        c.id,
        b.side,
        row?.truthStatus ?? (named.includes(b.side) ? "missing" : "UNLABELLED"),
        row?.truthSubtype ?? null,
      ]);
      recomputed.push([c.id, b.side, b.status, b.subtype]);
    }
    kept.push([c.id, c.truthStatus, c.truthSubtype, c.hasMalignantFinding]);
    recomputed.push([c.id, caseTruthNow.status, caseTruthNow.subtype, caseTruthNow.hasMalignantFinding]);
  }
  return { kept, recomputed };
}

describe("truth kept in columns equals the truth recomputed from the labels", () => {
  let api: TestApi;
  let annotator: Viewer;
  let secondAnnotator: Viewer;
  let coordinator: Viewer;
  const caseIds: string[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const viewerOf = async (role: "ANNOTATOR" | "COORDINATOR" = "ANNOTATOR"): Promise<Viewer> => {
      const user = await createUser(api.db, [{ siteId: site.id, role }]);
      return {
        userId: user.id,
        email: user.email,
        name: user.name,
        memberships: [{ siteId: site.id, role }],
        via: "session",
        session: null, // no web session needed: these are service calls, not API token minting
      };
    };
    annotator = await viewerOf();
    secondAnnotator = await viewerOf();
    // Consensus is decided by someone who wrote none of the labels (issue 15: no adjudicating one's own).
    coordinator = await viewerOf("COORDINATOR");
    for (let i = 0; i < 5; i++) caseIds.push((await createCase(api.db, api.blobs, site.id)).id);
    // A case-level finding (carried over from before findings: no breast), as the migration makes.
    await api.db.finding.create({ data: { caseId: caseIds[0]!, key: "case", createdById: annotator.userId } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it(`after each of ${STEPS} random steps (seeded)`, async () => {
    const random = seededRandom(18_003);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const db = api.db;
    const steps: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const viewer = random() < 0.5 ? annotator : secondAnnotator;
      const caseId = pick(caseIds);
      const findings = await db.finding.findMany({ where: { caseId }, orderBy: { key: "asc" } });
      const labels = currentLabels(await db.pathologyLabel.findMany({ where: { finding: { caseId } } }));
      const roll = random();
      const base = { source: "BIOPSY" as const };
      if (roll < 0.2 || findings.length === 0) {
        const laterality: Laterality = pick(["R", "L"]);
        await addPathologyLabel(db, viewer, { caseId, laterality, subtype: pick(SUBTYPES), ...base });
        steps.push(`new finding ${laterality}`);
      } else if (roll < 0.45) {
        const finding = pick(findings);
        await addPathologyLabel(db, viewer, { findingId: finding.id, subtype: pick(SUBTYPES), ...base });
        steps.push(`label ${finding.key}`);
      } else if (roll < 0.55 && labels.length > 0) {
        const label = pick(labels);
        await correctPathologyLabel(db, viewer, { labelId: label.id, subtype: pick(SUBTYPES), ...base, reason: "r" });
        steps.push("correct");
      } else if (roll < 0.67 && labels.length > 0) {
        await retractPathologyLabel(db, viewer, { labelId: pick(labels).id, reason: "r" });
        steps.push("retract");
      } else if (roll < 0.82 && labels.length > 0) {
        const label = pick(labels);
        await decideConsensus(db, coordinator, {
          findingId: label.findingId,
          subtype: label.subtype,
          rationale: "board",
        });
        steps.push("decide");
      } else if (roll < 0.9) {
        const finding = pick(findings);
        const laterality: Laterality = finding.laterality === "R" ? "L" : "R";
        await updateFinding(db, viewer, { findingId: finding.id, laterality });
        steps.push(`move ${finding.key} to ${laterality}`);
      } else if (roll < 0.95) {
        await createFinding(db, viewer, { caseId, laterality: pick(["R", "L"]) });
        steps.push("empty finding");
      } else {
        // One SQL statement writing labels to findings of several cases: the statement trigger's set-based path.
        await db.$executeRaw`
          INSERT INTO "PathologyLabel" ("findingId", subtype, source, "authorId")
          SELECT f.id, ${pick(SUBTYPES)}::"Subtype", 'SURGERY', ${viewer.userId}::uuid
          FROM "Finding" f WHERE f."caseId" = ANY (${caseIds}::uuid[]) AND f.laterality = ${pick(["R", "L"])}::"Laterality"`;
        steps.push("bulk insert");
      }
      const { kept, recomputed } = await keptAndRecomputed(db, caseIds);
      expect(kept, `after step ${step}: ${steps.slice(-5).join(", ")}`).toEqual(recomputed);
    }
    // The sequence did reach every state worth reaching.
    const statuses = new Set((await db.finding.findMany({ select: { truthStatus: true } })).map((f) => f.truthStatus));
    const seen = new Set(steps.map((s) => s.split(" ")[0]));
    console.log(
      `[truth columns] ${STEPS} steps: ${[...seen].join(", ")}; finding statuses at the end: ${[...statuses].join(", ")}`,
    );
    expect(seen).toEqual(new Set(["new", "label", "correct", "retract", "decide", "move", "empty", "bulk"]));
  });
});
