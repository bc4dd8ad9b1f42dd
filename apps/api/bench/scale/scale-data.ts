// The archive `npm run bench:scale` measures, written with SQL the benchmark owns (set-based:
// generate_series, a deterministic hash for every "random" choice), straight into a migrated,
// empty database. The same size always gives the same rows (up to generated ids and times).
import pg from "pg";

export const STUDY_CASES = 1000;
export const STUDY_READERS = 10;
/** Closed studies of the same shape: each `studyReport` sample is computed (not served from the report cache). */
export const REPORT_STUDIES = 5;
const CLASSES = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];
/** Every truth the archive's labels give. */
export const SUBTYPES = [...CLASSES, "OTHER_INVASIVE", "BENIGN"];

export type ScaleArchive = {
  cases: number;
  /** NORTH, the archive; SOUTH holds 1/50 of its cases. */
  siteId: string;
  /** ADMIN, COORDINATOR, ANNOTATOR and ML_ENGINEER at NORTH and SOUTH: the case browser's viewer. */
  staffId: string;
  readerIds: string[];
  reportStudyIds: string[];
  openStudyId: string;
  inferenceRunId: string;
  /** A case with two labels, a consensus and an outline (the case page). */
  sampleCaseId: string;
  rows: Record<string, number>;
};

/**
 * Case i (1..n) of the archive: one exam of four views; patients have one or two exams. Findings
 * and labels (by a hash of i, per hundred cases): 15 without any; 10 stated NORMAL by follow-up
 * (a case-level finding: both breasts); 75 with a lesion in one breast: 60 one label; 8 two agreeing labels (half of
 * them with a UNANIMOUS consensus); 5 two disagreeing labels (three of them ADJUDICATED, two left
 * in CONFLICT); 1 corrected label (the correction replaces it); 1 retracted label. Every label and
 * decision has its audit event, as the API writes them, and every labelled case a lesion outline.
 */
const ARCHIVE_SQL = (n: number) => {
  const patients = Math.ceil(n * 0.7);
  const subtypes = `(ARRAY[${SUBTYPES.map((s) => `'${s}'`).join(", ")}]::"Subtype"[])`;
  return /* sql */ `
  CREATE TEMP TABLE bench_case AS
    SELECT i, abs(hashint4(i)) % 100 AS bucket,
      ${subtypes}[1 + abs(hashint4(i + 7)) % 5] AS s1,
      ${subtypes}[1 + (abs(hashint4(i + 7)) + 1 + abs(hashint4(i + 11)) % 4) % 5] AS s2,
      (CASE WHEN hashint4(i + 3) % 2 = 0 THEN 'R' ELSE 'L' END)::"Laterality" AS side,
      timestamptz '2019-01-01' + i * interval '13 minutes' AS at
    FROM generate_series(1, ${n}) i;
  INSERT INTO "Patient" (id, "siteId", pseudonym, "dateShiftDays", "createdAt")
    SELECT gen_random_uuid(), $1, 'P-' || lpad(p::text, 7, '0'), (abs(hashint4(p)) % 700) - 350, timestamptz '2019-01-01'
    FROM generate_series(1, ${patients}) p;
  CREATE TEMP TABLE bench_patient AS
    SELECT id, substr(pseudonym, 3)::int AS p FROM "Patient" WHERE "siteId" = $1;
  INSERT INTO "Case" (id, "siteId", "patientId", "accessionKey", "examDate", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), $1, bp.id, 'A' || lpad(c.i::text, 7, '0'), (c.at)::date, c.at, c.at
    FROM bench_case c JOIN bench_patient bp ON bp.p = (c.i - 1) % ${patients} + 1;
  ALTER TABLE bench_case ADD COLUMN id uuid;
  UPDATE bench_case c SET id = k.id FROM "Case" k WHERE k."siteId" = $1 AND k."accessionKey" = 'A' || lpad(c.i::text, 7, '0');
  CREATE INDEX ON bench_case (i);
  INSERT INTO "Image" ("caseId", laterality, view, "widthPx", "heightPx", "bitsStored", photometric, "sourceFormat",
      "contentSha256", "storageKey", "createdAt")
    SELECT c.id, v.l::"Laterality", v.v::"ViewPosition", 3328, 4096, 14, 'MONOCHROME2', 'DICOM',
      encode(sha256((c.id::text || v.l || v.v)::bytea), 'hex'), 'bench/not-stored', c.at
    FROM bench_case c CROSS JOIN (VALUES ('R', 'CC'), ('R', 'MLO'), ('L', 'CC'), ('L', 'MLO')) v(l, v);

  -- Findings: a lesion in one breast of every case with labels; a case-level finding (both
  -- breasts) for the cases stated NORMAL by follow-up.
  INSERT INTO "Finding" ("caseId", laterality, key, "createdById", "createdAt")
    SELECT id, CASE WHEN bucket >= 25 THEN side END, CASE WHEN bucket >= 25 THEN 'F1' ELSE 'N1' END, $2, at + interval '1 day'
    FROM bench_case WHERE bucket >= 15;
  ALTER TABLE bench_case ADD COLUMN finding uuid;
  UPDATE bench_case c SET finding = f.id FROM "Finding" f WHERE f."caseId" = c.id;
  -- Labels: the first opinion of every labelled finding, the second opinion where there is one.
  INSERT INTO "PathologyLabel" ("findingId", subtype, source, "authorId", "createdAt", "retractedAt")
    SELECT finding, CASE WHEN bucket >= 25 THEN s1 ELSE 'NORMAL' END,
      (CASE WHEN bucket >= 25 THEN 'SURGERY' ELSE 'FOLLOW_UP' END)::"SpecimenSource", $2, at + interval '1 day',
      CASE WHEN bucket = 99 THEN at + interval '3 days' END
    FROM bench_case WHERE bucket >= 15;
  INSERT INTO "PathologyLabel" ("findingId", subtype, source, "authorId", "createdAt")
    SELECT finding, CASE WHEN bucket BETWEEN 93 AND 97 THEN s2 ELSE s1 END, 'BIOPSY', $2, at + interval '2 days'
    FROM bench_case WHERE bucket BETWEEN 85 AND 97;
  INSERT INTO "PathologyLabel" ("findingId", subtype, source, "authorId", "createdAt", "replacesId")
    SELECT c.finding, c.s2, 'SURGERY', $2, c.at + interval '4 days', l.id
    FROM bench_case c JOIN "PathologyLabel" l ON l."findingId" = c.finding
    WHERE c.bucket = 98;
  INSERT INTO "ConsensusDecision" ("findingId", subtype, method, "decidedById", rationale, "createdAt")
    SELECT finding, s1, (CASE WHEN bucket <= 92 THEN 'UNANIMOUS' ELSE 'ADJUDICATED' END)::"ConsensusMethod", $2,
      'bench', at + interval '5 days'
    FROM bench_case WHERE bucket BETWEEN 85 AND 88 OR bucket BETWEEN 93 AND 95;
  INSERT INTO "Annotation" ("imageId", "authorId", purpose, shape, geometry, "findingId", "createdAt", "updatedAt")
    SELECT i.id, $2, 'LESION', 'ELLIPSE', jsonb_build_object('cx', 1200, 'cy', 1800, 'rx', 90, 'ry', 70, 'rotationRad', 0),
      c.finding, c.at + interval '1 day', c.at + interval '1 day'
    FROM bench_case c
    JOIN "Image" i ON i."caseId" = c.id AND i.laterality = c.side AND i.view = 'CC'
    WHERE c.bucket >= 25;

  -- The audit log: an import event per case, an event per label and per decision.
  INSERT INTO "AuditEvent" (at, "actorId", "siteId", action, "entityType", "entityId", after)
    SELECT at, $2, $1, 'import.case', 'Case', id::text, jsonb_build_object('accessionKey', 'A' || lpad(i::text, 7, '0'))
    FROM bench_case ORDER BY i;
  INSERT INTO "AuditEvent" (at, "actorId", "siteId", action, "entityType", "entityId", after)
    SELECT "createdAt", "authorId", $1, CASE WHEN "replacesId" IS NULL THEN 'pathologyLabel.create' ELSE 'pathologyLabel.correct' END,
      'PathologyLabel', id::text, jsonb_build_object('subtype', subtype, 'findingId', "findingId")
    FROM "PathologyLabel" WHERE "findingId" IN (SELECT finding FROM bench_case) ORDER BY "createdAt";
  INSERT INTO "AuditEvent" (at, "actorId", "siteId", action, "entityType", "entityId", after)
    SELECT "createdAt", "decidedById", $1, 'consensus.decide', 'ConsensusDecision', id::text,
      jsonb_build_object('subtype', subtype, 'findingId', "findingId")
    FROM "ConsensusDecision" WHERE "findingId" IN (SELECT finding FROM bench_case) ORDER BY "createdAt";
  `;
};

/** The cases of every study: one-label cases whose subtype is one of the study's classes. */
const STUDY_CASES_SQL = `
  CREATE TEMP TABLE bench_study_case AS
    SELECT row_number() OVER (ORDER BY i) AS k, id, s1 AS truth
    FROM bench_case WHERE bucket BETWEEN 25 AND 84 AND s1::text IN (${CLASSES.map((c) => `'${c}'`).join(", ")})
    ORDER BY i LIMIT ${STUDY_CASES};
`;

/**
 * One study of the 1000 cases and 10 readers. CLOSED: every reader in the AIDED arm, every case
 * read unaided then aided (MRMC-ready). OPEN: readers 1-5 UNAIDED, 6-10 AIDED, reader r partway
 * (r x 90 cases read; odd AIDED readers stopped between the unaided and the aided read of a case).
 */
const STUDY_SQL = (isOpen: boolean) => /* sql */ `
  WITH s AS (
    INSERT INTO "ReaderStudy" ("siteId", name, status, seed, "modelVersionId", "createdById", "openedAt", "closedAt")
    VALUES ($1, $3, $4::"StudyStatus", 17, $5, $2, timestamptz '2026-01-01', ${isOpen ? "NULL" : "timestamptz '2026-02-01'"})
    RETURNING id
  ), arms AS (
    INSERT INTO "StudyArm" ("studyId", kind, name)
    SELECT s.id, k::"ArmKind", initcap(k) FROM s, unnest(ARRAY['UNAIDED', 'AIDED']) k RETURNING id, kind
  ), questions AS (
    INSERT INTO "StudyQuestion" ("studyId", kind, prompt, options, "isRequired", position)
    SELECT s.id, 'SUBTYPE'::"QuestionKind", 'Pathological subtype', ARRAY[${CLASSES.map((c) => `'${c}'`).join(", ")}]::"Subtype"[], true, 0 FROM s
    UNION ALL SELECT s.id, 'CONFIDENCE'::"QuestionKind", 'Confidence (0-100)', '{}', true, 1 FROM s
    RETURNING id
  )
  SELECT (SELECT id FROM s) AS "studyId",
    (SELECT id FROM arms WHERE kind = 'UNAIDED') AS "unaidedArmId", (SELECT id FROM arms WHERE kind = 'AIDED') AS "aidedArmId",
    (SELECT count(*) FROM questions) AS questions`;

const STUDY_ROWS_SQL = (isOpen: boolean) => /* sql */ `
  INSERT INTO "StudyCase" ("studyId", "caseId", code)
    SELECT $1, id, 'C-' || lpad(k::text, 5, '0') FROM bench_study_case;
  INSERT INTO "StudyReader" ("studyId", "userId", "armId", "createdAt")
    SELECT $1, u, CASE WHEN ${isOpen ? "r <= 5" : "false"} THEN $2::uuid ELSE $3::uuid END, timestamptz '2026-01-01' + r * interval '1 minute'
    FROM unnest($4::uuid[]) WITH ORDINALITY AS t(u, r);
  CREATE TEMP TABLE bench_slot AS
    SELECT sr.id AS "studyReaderId", sc.id AS "studyCaseId", bc.truth, a.kind AS arm, t.r,
      row_number() OVER (PARTITION BY sr.id ORDER BY hashint4(bc.k::int * 131 + t.r::int)) - 1 AS position
    FROM "StudyReader" sr JOIN "StudyArm" a ON a.id = sr."armId"
    JOIN unnest($4::uuid[]) WITH ORDINALITY AS t(u, r) ON t.u = sr."userId"
    JOIN "StudyCase" sc ON sc."studyId" = sr."studyId"
    JOIN bench_study_case bc ON bc.id = sc."caseId"
    WHERE sr."studyId" = $1;
  INSERT INTO "ReaderCaseOrder" ("studyReaderId", position, "studyCaseId")
    SELECT "studyReaderId", position, "studyCaseId" FROM bench_slot;
  INSERT INTO "Read" ("studyReaderId", "studyCaseId", phase, answer, confidence, "timeSpentMs", "submittedAt")
    SELECT "studyReaderId", "studyCaseId", ph::"ArmKind",
      CASE WHEN abs(hashint4(position::int * 7 + r::int * 1009 + (ph = 'AIDED')::int)) % 100 < (CASE WHEN ph = 'AIDED' THEN 75 ELSE 65 END)
        THEN truth
        ELSE (ARRAY[${CLASSES.map((c) => `'${c}'`).join(", ")}]::"Subtype"[])[1 + abs(hashint4(position::int + r::int)) % 3] END,
      abs(hashint4(position::int * 3 + r::int)) % 101, 20000 + abs(hashint4(position::int)) % 40000,
      timestamptz '2026-01-02' + (position * 10 + r) * interval '1 minute' + (ph = 'AIDED')::int * interval '30 seconds'
    FROM bench_slot CROSS JOIN unnest(ARRAY['UNAIDED', 'AIDED']) ph
    WHERE (ph = 'UNAIDED' OR arm = 'AIDED')
      AND ${isOpen ? "(position < r * 90 - CASE WHEN ph = 'AIDED' AND arm = 'AIDED' AND r % 2 = 1 THEN 1 ELSE 0 END)" : "true"};
  DROP TABLE bench_slot;
`;

/**
 * A model version with a prediction and a Grad-CAM heatmap for every image of the study cases
 * (the AI of the studies), and an inference run of a second model version over the images of half
 * the archive (the predictions list of a run).
 */
const MODEL_SQL = /* sql */ `
  WITH d AS (
    INSERT INTO "Dataset" ("siteId", name, filter, "createdById", "updatedAt")
    VALUES ($1, 'bench lineage', jsonb_build_object('siteIds', jsonb_build_array(($1::uuid)::text)), $2, now()) RETURNING id
  ), v AS (
    INSERT INTO "DatasetVersion" ("datasetId", version, digest, unit, seed, "foldCount", "splitFractions", "classNames", "itemCount", "createdById")
    SELECT id, 1, repeat('0', 64), 'CASE', 1, 4, '{"train": 0.7, "validation": 0.1, "test": 0.2}', ARRAY[${CLASSES.map((c) => `'${c}'`).join(", ")}], 0, $2 FROM d
    RETURNING id
  )
  INSERT INTO "ModelVersion" ("siteId", name, version, "datasetVersionId", "datasetDigest", "artifactKey", "artifactSha256",
      "classNames", "inputSizePx", preset, params, metrics, "codeRevision", backend, seed, "trainingStartedAt",
      "trainingFinishedAt", "createdById")
    SELECT $1, m, 1, v.id, repeat('0', 64), 'bench/not-stored', repeat('0', 64),
      ARRAY[${CLASSES.map((c) => `'${c}'`).join(", ")}], 224, 'ueda-2020', '{}', '{}', 'bench', 'native', 1, now(), now(), $2
    FROM v, unnest(ARRAY['bench-study-ai', 'bench-archive']) m
    RETURNING id, name`;

const PREDICTIONS_SQL = (n: number) => /* sql */ `
  INSERT INTO "InferenceRun" ("siteId", "modelVersionId", target, "datasetVersionId", status, "requestedById", "startedAt", "finishedAt", "createdAt")
    SELECT $1, $4, 'DATASET_VERSION', "datasetVersionId", 'SUCCEEDED', $2, now(), now(), now() FROM "ModelVersion" WHERE id = $4;
  -- The study AI: right on about 70 % of the cases, a little jitter per image.
  INSERT INTO "Prediction" ("modelVersionId", "imageId", probabilities, "predictedClass", "createdAt")
    SELECT $3, id, ARRAY[
        CASE WHEN best = 'TUBULE_FORMING' THEN top ELSE (1 - top) / 2 END,
        CASE WHEN best = 'SOLID' THEN top ELSE (1 - top) / 2 END,
        CASE WHEN best = 'SCIRRHOUS' THEN top ELSE (1 - top) / 2 END]::float8[], best, now()
    FROM (
      SELECT i.id, 0.4 + (abs(hashtext(i.id::text)) % 40) / 100.0 AS top,
        CASE WHEN abs(hashint4(bc.k::int * 17)) % 100 < 70 THEN bc.truth
          ELSE (ARRAY[${CLASSES.map((c) => `'${c}'`).join(", ")}]::"Subtype"[])[1 + abs(hashint4(bc.k::int * 19)) % 3] END AS best
      FROM bench_study_case bc JOIN "Image" i ON i."caseId" = bc.id
    ) p;
  INSERT INTO "Prediction" ("modelVersionId", "imageId", "inferenceRunId", probabilities, "predictedClass", "createdAt")
    SELECT $4, i.id, (SELECT id FROM "InferenceRun" WHERE "modelVersionId" = $4), ARRAY[0.5, 0.3, 0.2]::float8[], 'TUBULE_FORMING',
      timestamptz '2026-03-01' + c.i * interval '1 second'
    FROM bench_case c JOIN "Image" i ON i."caseId" = c.id WHERE c.i <= ${Math.floor(n / 2)};
  INSERT INTO "SaliencyMap" ("predictionId", method, "layerName", "classIndex", "storageKey", "widthPx", "heightPx")
    SELECT p.id, 'GRAD_CAM', 'block5_conv3', array_position(mv."classNames", p."predictedClass"::text) - 1, 'bench/not-stored', 256, 256
    FROM "Prediction" p JOIN "ModelVersion" mv ON mv.id = p."modelVersionId";
`;

async function insertUsers(client: pg.Client, siteId: string, southId: string) {
  const staff = await client.query<{ id: string }>(
    `INSERT INTO "User" (email, name) VALUES ('staff@scale.example', 'Bench staff') RETURNING id`,
  );
  const staffId = staff.rows[0]!.id;
  await client.query(
    `INSERT INTO "Membership" ("userId", "siteId", role)
     SELECT $1, s, r::"Role" FROM unnest(ARRAY[$2, $3]::uuid[]) s, unnest(ARRAY['ADMIN', 'COORDINATOR', 'ANNOTATOR', 'ML_ENGINEER']) r`,
    [staffId, siteId, southId],
  );
  const readers = await client.query<{ id: string }>(
    `INSERT INTO "User" (email, name) SELECT 'reader' || r || '@scale.example', 'Bench reader ' || r
     FROM generate_series(1, ${STUDY_READERS}) r ORDER BY r RETURNING id`,
  );
  const readerIds = readers.rows.map((r) => r.id);
  await client.query(
    `INSERT INTO "Membership" ("userId", "siteId", role) SELECT u, $2, 'READER' FROM unnest($1::uuid[]) u`,
    [readerIds, siteId],
  );
  return { staffId, readerIds };
}

async function insertStudy(
  client: pg.Client,
  ids: { siteId: string; staffId: string; modelVersionId: string; readerIds: string[] },
  name: string,
  isOpen: boolean,
) {
  const { rows } = await client.query<{ studyId: string; unaidedArmId: string; aidedArmId: string }>(
    STUDY_SQL(isOpen),
    [ids.siteId, ids.staffId, name, isOpen ? "OPEN" : "CLOSED", ids.modelVersionId],
  );
  return rows[0]!;
}

/** Generates the archive of `cases` exams (and its studies and predictions) into an empty, migrated database. */
export async function generateScaleArchive(
  databaseUrl: string,
  cases: number,
  log: (line: string) => void,
): Promise<ScaleArchive> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sites = await client.query<{ id: string; code: string }>(
      `INSERT INTO "Site" (code, name) VALUES ('NORTH', 'North (bench)'), ('SOUTH', 'South (bench)') RETURNING id, code`,
    );
    const siteId = sites.rows.find((r) => r.code === "NORTH")!.id;
    const southId = sites.rows.find((r) => r.code === "SOUTH")!.id;
    const { staffId, readerIds } = await insertUsers(client, siteId, southId);
    const timed = async (what: string, run: () => Promise<unknown>) => {
      const t0 = performance.now();
      await run();
      log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    };
    // A small second site first (its working tables dropped), so that "all my sites" spans two.
    const southCases = Math.ceil(cases / 50);
    await timed(`SOUTH: ${southCases} cases`, () =>
      runScript(client, `${ARCHIVE_SQL(southCases)}; DROP TABLE bench_case; DROP TABLE bench_patient;`, [
        southId,
        staffId,
      ]),
    );
    await timed(`NORTH: ${cases} cases, images, labels, consensus, outlines, audit events`, () =>
      runScript(client, ARCHIVE_SQL(cases), [siteId, staffId]),
    );
    await timed("study cases", () => client.query(STUDY_CASES_SQL));
    const models = await client.query<{ id: string; name: string }>(MODEL_SQL, [siteId, staffId]);
    const studyModel = models.rows.find((m) => m.name === "bench-study-ai")!.id;
    const archiveModel = models.rows.find((m) => m.name === "bench-archive")!.id;
    await timed("predictions and heatmaps", () =>
      runScript(client, PREDICTIONS_SQL(cases), [siteId, staffId, studyModel, archiveModel]),
    );
    const ids = { siteId, staffId, modelVersionId: studyModel, readerIds };
    const reportStudyIds: string[] = [];
    let openStudyId = "";
    await timed(
      `${REPORT_STUDIES} closed studies and an open one (${STUDY_CASES} cases x ${STUDY_READERS} readers)`,
      async () => {
        for (let s = 0; s <= REPORT_STUDIES; s++) {
          const isOpen = s === REPORT_STUDIES;
          const study = await insertStudy(
            client,
            ids,
            isOpen ? "Bench open study" : `Bench closed study ${s + 1}`,
            isOpen,
          );
          await runScript(client, STUDY_ROWS_SQL(isOpen), [
            study.studyId,
            study.unaidedArmId,
            study.aidedArmId,
            readerIds,
          ]);
          if (isOpen) openStudyId = study.studyId;
          else reportStudyIds.push(study.studyId);
        }
      },
    );
    await timed("VACUUM ANALYZE", () => client.query("VACUUM ANALYZE"));
    const sample = await client.query<{ id: string }>(
      `SELECT c.id FROM "Case" c
       WHERE EXISTS (SELECT 1 FROM "ConsensusDecision" d JOIN "Finding" f ON f.id = d."findingId" WHERE f."caseId" = c.id)
       ORDER BY c."accessionKey" LIMIT 1`,
    );
    const run = await client.query<{ id: string }>(`SELECT id FROM "InferenceRun" LIMIT 1`);
    const counts = await client.query<{ name: string; n: string }>(
      `SELECT relname AS name, n_live_tup::text AS n FROM pg_stat_user_tables WHERE schemaname = 'public' AND n_live_tup > 0 ORDER BY relname`,
    );
    return {
      cases,
      siteId,
      staffId,
      readerIds,
      reportStudyIds,
      openStudyId,
      inferenceRunId: run.rows[0]!.id,
      sampleCaseId: sample.rows[0]!.id,
      rows: Object.fromEntries(counts.rows.map((r) => [r.name, Number(r.n)])),
    };
  } finally {
    await client.end();
  }
}

/**
 * Runs a script of several statements in one round trip (the simple query protocol, one implicit
 * transaction). Parameters are written in as literals: ids the database generated and numbers.
 */
async function runScript(client: pg.Client, script: string, params: readonly (string | string[])[]) {
  const literal = (value: string | string[]) =>
    client.escapeLiteral(Array.isArray(value) ? `{${value.join(",")}}` : value);
  await client.query(script.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]!)));
}
