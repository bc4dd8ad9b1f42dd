-- Truth per breast and per finding (issue 13), kept in indexed columns (issue 18).
--
-- Before: pathology labels, consensus decisions and lesion outlines hung on the case, and one
-- truth was computed per case. After: a Finding is one lesion (or the statement that a breast is
-- normal) in one breast of a case; labels, decisions and regions belong to it. The database keeps
-- each finding's, breast's and case's truth in columns (refresh_truth), from triggers that run in
-- the transaction of every label, consensus and finding change.
--
-- Existing data is carried over: the labels of a case that name one breast become one finding on
-- that breast, with their corrections (a correction chain is placed by its latest label). A label
-- without laterality goes to the breast its lesion outlines are drawn on, else to the breast of
-- the case's images when they are all of one side, else to a case-level finding (laterality
-- unknown). Consensus decisions go to the finding whose labels they decided; outlines follow
-- their label. Every move is recorded in the audit log with the old placement. Frozen dataset
-- versions and reader studies keep what they were: the CASE unit.

-- CreateEnum
CREATE TYPE "TruthStatus" AS ENUM ('UNLABELLED', 'LABELLED', 'CONFLICT', 'ADJUDICATED', 'MIXED');
CREATE TYPE "DatasetUnit" AS ENUM ('CASE', 'FINDING', 'BREAST', 'IMAGE');
CREATE TYPE "StudyUnit" AS ENUM ('CASE', 'BREAST', 'FINDING');
-- Provenance of labels that come from no specimen: a normal breast by follow-up or by its source.
ALTER TYPE "SpecimenSource" ADD VALUE 'FOLLOW_UP';
ALTER TYPE "SpecimenSource" ADD VALUE 'DATASET';

-- CreateTable
CREATE TABLE "Finding" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "caseId" UUID NOT NULL,
    "laterality" "Laterality",
    "key" TEXT NOT NULL,
    "note" TEXT,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "truthStatus" "TruthStatus" NOT NULL DEFAULT 'UNLABELLED',
    "truthSubtype" "Subtype",
    "truthMethod" "ConsensusMethod",

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Breast" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "caseId" UUID NOT NULL,
    "laterality" "Laterality" NOT NULL,
    "truthStatus" "TruthStatus" NOT NULL DEFAULT 'UNLABELLED',
    "truthSubtype" "Subtype",

    CONSTRAINT "Breast_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Finding_caseId_idx" ON "Finding"("caseId");
CREATE INDEX "Finding_truthSubtype_caseId_idx" ON "Finding"("truthSubtype", "caseId");
CREATE INDEX "Finding_truthStatus_caseId_idx" ON "Finding"("truthStatus", "caseId");
CREATE UNIQUE INDEX "Finding_caseId_key_key" ON "Finding"("caseId", "key");
CREATE INDEX "Breast_truthSubtype_caseId_idx" ON "Breast"("truthSubtype", "caseId");
CREATE INDEX "Breast_truthStatus_caseId_idx" ON "Breast"("truthStatus", "caseId");
CREATE UNIQUE INDEX "Breast_caseId_laterality_key" ON "Breast"("caseId", "laterality");

ALTER TABLE "Finding" ADD CONSTRAINT "Finding_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Breast" ADD CONSTRAINT "Breast_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_key_check" CHECK (length(btrim("key")) BETWEEN 1 AND 64);

-- AlterTable: the new columns, filled below before the old ones go.
ALTER TABLE "Case" ADD COLUMN "hasMalignantFinding" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "truthStatus" "TruthStatus" NOT NULL DEFAULT 'UNLABELLED',
ADD COLUMN "truthSubtype" "Subtype";
ALTER TABLE "PathologyLabel" ADD COLUMN "findingId" UUID;
ALTER TABLE "ConsensusDecision" ADD COLUMN "findingId" UUID;
ALTER TABLE "Annotation" ADD COLUMN "findingId" UUID;
ALTER TABLE "DatasetVersion" ADD COLUMN "unit" "DatasetUnit" NOT NULL DEFAULT 'CASE';
ALTER TABLE "DatasetVersion" ALTER COLUMN "unit" DROP DEFAULT;
ALTER TABLE "DatasetItem" ADD COLUMN "findingId" UUID,
ADD COLUMN "laterality" "Laterality",
ADD COLUMN "unitId" UUID;
ALTER TABLE "ReaderStudy" ADD COLUMN "unit" "StudyUnit" NOT NULL DEFAULT 'CASE';
ALTER TABLE "StudyCase" ADD COLUMN "findingId" UUID,
ADD COLUMN "laterality" "Laterality";

-- Carry over: each label's correction chain, placed by its latest label (the chain's head).
CREATE TEMP TABLE "label_head" ON COMMIT DROP AS
WITH RECURSIVE chain(label_id, head_id) AS (
  SELECT l.id, l.id FROM "PathologyLabel" l
  WHERE NOT EXISTS (SELECT 1 FROM "PathologyLabel" c WHERE c."replacesId" = l.id)
  UNION ALL
  SELECT l."replacesId", chain.head_id FROM chain JOIN "PathologyLabel" l ON l.id = chain.label_id
  WHERE l."replacesId" IS NOT NULL
)
SELECT label_id, head_id FROM chain;

CREATE TEMP TABLE "head_side" ON COMMIT DROP AS
SELECT h.id AS head_id, h."caseId",
  COALESCE(
    h.laterality,
    (SELECT min(i.laterality) FROM "label_head" lh
       JOIN "Annotation" a ON a."pathologyLabelId" = lh.label_id JOIN "Image" i ON i.id = a."imageId"
     WHERE lh.head_id = h.id HAVING count(DISTINCT i.laterality) = 1),
    (SELECT min(i.laterality) FROM "Image" i WHERE i."caseId" = h."caseId" HAVING count(DISTINCT i.laterality) = 1)
  ) AS side
FROM "PathologyLabel" h
WHERE h.id IN (SELECT head_id FROM "label_head");

INSERT INTO "Finding" ("caseId", "laterality", "key", "createdById", "createdAt")
SELECT hs."caseId", hs.side, COALESCE(hs.side::text, 'case'),
  (array_agg(l."authorId" ORDER BY l."createdAt", l.id))[1], min(l."createdAt")
FROM "head_side" hs
JOIN "label_head" lh ON lh.head_id = hs.head_id
JOIN "PathologyLabel" l ON l.id = lh.label_id
GROUP BY hs."caseId", hs.side;

-- A decision on a case without labels (possible only through SQL) keeps a case-level finding.
INSERT INTO "Finding" ("caseId", "key", "createdById", "createdAt")
SELECT d."caseId", 'case', (array_agg(d."decidedById" ORDER BY d."createdAt", d.id))[1], min(d."createdAt")
FROM "ConsensusDecision" d
WHERE NOT EXISTS (SELECT 1 FROM "Finding" f WHERE f."caseId" = d."caseId")
GROUP BY d."caseId";

UPDATE "PathologyLabel" l SET "findingId" = f.id
FROM "label_head" lh
JOIN "head_side" hs ON hs.head_id = lh.head_id
JOIN "Finding" f ON f."caseId" = hs."caseId" AND f.laterality IS NOT DISTINCT FROM hs.side
WHERE lh.label_id = l.id;

-- A decision goes to the finding whose current labels name its subtype (preferring one whose
-- labels disagree: the conflict it settled), else to the case's first finding.
UPDATE "ConsensusDecision" d SET "findingId" = (
  SELECT f.id FROM "Finding" f
  WHERE f."caseId" = d."caseId"
  ORDER BY
    EXISTS (SELECT 1 FROM "PathologyLabel" l
            WHERE l."findingId" = f.id AND l.subtype = d.subtype AND l."retractedAt" IS NULL
              AND NOT EXISTS (SELECT 1 FROM "PathologyLabel" c WHERE c."replacesId" = l.id)) DESC,
    (SELECT count(DISTINCT l.subtype) FROM "PathologyLabel" l
     WHERE l."findingId" = f.id AND l."retractedAt" IS NULL
       AND NOT EXISTS (SELECT 1 FROM "PathologyLabel" c WHERE c."replacesId" = l.id)) > 1 DESC,
    EXISTS (SELECT 1 FROM "PathologyLabel" l WHERE l."findingId" = f.id AND l.subtype = d.subtype) DESC,
    f.laterality NULLS LAST, f.key
  LIMIT 1);

UPDATE "Annotation" a SET "findingId" = l."findingId" FROM "PathologyLabel" l WHERE l.id = a."pathologyLabelId";

-- The old placement of every moved row, in the audit log (the rows themselves lose it).
INSERT INTO "AuditEvent" ("siteId", "action", "entityType", "entityId", "before", "after", "requestId")
SELECT c."siteId", 'pathologyLabel.placeInFinding', 'PathologyLabel', l.id::text,
  jsonb_build_object('caseId', l."caseId", 'laterality', l.laterality),
  jsonb_build_object('findingId', l."findingId", 'findingLaterality', f.laterality),
  'migration 20261206100000_findings_per_breast'
FROM "PathologyLabel" l JOIN "Finding" f ON f.id = l."findingId" JOIN "Case" c ON c.id = l."caseId";
INSERT INTO "AuditEvent" ("siteId", "action", "entityType", "entityId", "before", "after", "requestId")
SELECT c."siteId", 'consensusDecision.placeInFinding', 'ConsensusDecision', d.id::text,
  jsonb_build_object('caseId', d."caseId"), jsonb_build_object('findingId', d."findingId"),
  'migration 20261206100000_findings_per_breast'
FROM "ConsensusDecision" d JOIN "Case" c ON c.id = d."caseId";
INSERT INTO "AuditEvent" ("siteId", "action", "entityType", "entityId", "before", "after", "requestId")
SELECT c."siteId", 'annotation.placeInFinding', 'Annotation', a.id::text,
  jsonb_build_object('pathologyLabelId', a."pathologyLabelId"), jsonb_build_object('findingId', a."findingId"),
  'migration 20261206100000_findings_per_breast'
FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId" JOIN "Case" c ON c.id = i."caseId"
WHERE a."pathologyLabelId" IS NOT NULL;

-- Frozen items keep what they froze; they gain their unit (the case). The immutability trigger
-- is lifted for this one statement of the migration only.
ALTER TABLE "DatasetItem" DISABLE TRIGGER "DatasetItem_immutable";
UPDATE "DatasetItem" SET "unitId" = "caseId";
ALTER TABLE "DatasetItem" ENABLE TRIGGER "DatasetItem_immutable";

-- The old columns go.
ALTER TABLE "PathologyLabel" DROP CONSTRAINT "PathologyLabel_caseId_fkey";
ALTER TABLE "ConsensusDecision" DROP CONSTRAINT "ConsensusDecision_caseId_fkey";
ALTER TABLE "Annotation" DROP CONSTRAINT "Annotation_pathologyLabelId_fkey";
DROP INDEX "PathologyLabel_caseId_idx";
DROP INDEX "ConsensusDecision_caseId_idx";
DROP INDEX "ConsensusDecision_current_key";
DROP INDEX "DatasetItem_datasetVersionId_imageId_key";
DROP INDEX "StudyCase_studyId_caseId_key";
ALTER TABLE "PathologyLabel" DROP COLUMN "caseId", DROP COLUMN "laterality", ALTER COLUMN "findingId" SET NOT NULL;
ALTER TABLE "ConsensusDecision" DROP COLUMN "caseId", ALTER COLUMN "findingId" SET NOT NULL;
ALTER TABLE "Annotation" DROP COLUMN "pathologyLabelId";
ALTER TABLE "DatasetItem" ALTER COLUMN "unitId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Case_truthStatus_accessionKey_idx" ON "Case"("truthStatus", "accessionKey");
CREATE INDEX "PathologyLabel_findingId_idx" ON "PathologyLabel"("findingId");
CREATE INDEX "ConsensusDecision_findingId_idx" ON "ConsensusDecision"("findingId");
CREATE INDEX "Annotation_findingId_idx" ON "Annotation"("findingId");
CREATE INDEX "DatasetItem_caseId_idx" ON "DatasetItem"("caseId");
CREATE UNIQUE INDEX "DatasetItem_datasetVersionId_unitId_imageId_key" ON "DatasetItem"("datasetVersionId", "unitId", "imageId");
CREATE INDEX "StudyCase_caseId_idx" ON "StudyCase"("caseId");
CREATE UNIQUE INDEX "StudyCase_studyId_findingId_key" ON "StudyCase"("studyId", "findingId");

-- AddForeignKey
ALTER TABLE "PathologyLabel" ADD CONSTRAINT "PathologyLabel_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ConsensusDecision" ADD CONSTRAINT "ConsensusDecision_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules Prisma's schema language cannot state.
-- At most one current consensus decision per finding.
CREATE UNIQUE INDEX "ConsensusDecision_current_key" ON "ConsensusDecision"("findingId") WHERE "supersededAt" IS NULL;
-- A study case is a finding, a breast or a whole case; each unit once per study.
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_unit_check" CHECK ("findingId" IS NULL OR "laterality" IS NULL);
CREATE UNIQUE INDEX "StudyCase_case_unit_key" ON "StudyCase"("studyId", "caseId") WHERE "findingId" IS NULL AND "laterality" IS NULL;
CREATE UNIQUE INDEX "StudyCase_breast_unit_key" ON "StudyCase"("studyId", "caseId", "laterality") WHERE "laterality" IS NOT NULL;
-- Items of a breast, finding or image unit name their breast; finding units their finding.
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_unit_check" CHECK ("findingId" IS NULL OR "laterality" IS NOT NULL);

-- How severe a truth is, for a breast's and a case's truth: malignant over benign over normal
-- (no truth, no severity: STRICT).
CREATE FUNCTION "subtype_severity"(subtype "Subtype") RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE subtype WHEN 'NORMAL' THEN 0 WHEN 'BENIGN' THEN 1 ELSE 2 END
$$;

-- The truth of the given cases' findings, breasts and cases, recomputed from their labels and
-- consensus decisions (the same rule as apps/api/src/modules/pathology/case-truth.ts; a test
-- checks they agree). Locks the cases first, in id order, so concurrent changes of one case
-- follow each other and each recomputation sees the one before.
CREATE FUNCTION "refresh_truth"(case_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF case_ids IS NULL OR cardinality(case_ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "Case" WHERE id = ANY (case_ids) ORDER BY id FOR NO KEY UPDATE;

  -- Findings: a current consensus decides; else the current labels (neither retracted nor
  -- corrected) agree (LABELLED), disagree (CONFLICT) or are none (UNLABELLED).
  WITH labels AS (
    SELECT l."findingId", count(DISTINCT l.subtype) AS kinds, min(l.subtype) AS subtype
    FROM "PathologyLabel" l JOIN "Finding" f ON f.id = l."findingId"
    WHERE f."caseId" = ANY (case_ids) AND l."retractedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "PathologyLabel" c WHERE c."replacesId" = l.id)
    GROUP BY l."findingId"
  ), truth AS (
    SELECT f.id,
      (CASE WHEN d.id IS NOT NULL THEN 'ADJUDICATED' WHEN l.kinds IS NULL THEN 'UNLABELLED'
            WHEN l.kinds > 1 THEN 'CONFLICT' ELSE 'LABELLED' END)::"TruthStatus" AS status,
      CASE WHEN d.id IS NOT NULL THEN d.subtype WHEN l.kinds = 1 THEN l.subtype END AS subtype,
      d.method
    FROM "Finding" f
    LEFT JOIN "ConsensusDecision" d ON d."findingId" = f.id AND d."supersededAt" IS NULL
    LEFT JOIN labels l ON l."findingId" = f.id
    WHERE f."caseId" = ANY (case_ids)
  )
  UPDATE "Finding" f SET "truthStatus" = t.status, "truthSubtype" = t.subtype, "truthMethod" = t.method
  FROM truth t
  WHERE f.id = t.id
    AND (f."truthStatus", f."truthSubtype", f."truthMethod") IS DISTINCT FROM (t.status, t.subtype, t.method);

  -- Breasts: a row for each breast a finding names; a case-level finding labelled NORMAL states
  -- that both breasts are normal.
  INSERT INTO "Breast" ("caseId", "laterality")
  SELECT DISTINCT f."caseId", side.laterality
  FROM "Finding" f
  CROSS JOIN LATERAL unnest(CASE WHEN f.laterality IS NOT NULL THEN ARRAY[f.laterality]
                                 WHEN f."truthSubtype" = 'NORMAL' THEN ARRAY['R', 'L']::"Laterality"[] END) AS side(laterality)
  WHERE f."caseId" = ANY (case_ids)
  ON CONFLICT ("caseId", "laterality") DO NOTHING;

  -- A breast's truth from its labelled findings: CONFLICT when one of them is, or when it is
  -- labelled NORMAL and has a lesion; else the most severe truth (MIXED when two classes share
  -- the top severity); ADJUDICATED when every one of them is.
  WITH member AS (
    SELECT b.id, f."truthStatus" AS status, f."truthSubtype" AS subtype, "subtype_severity"(f."truthSubtype") AS severity
    FROM "Breast" b
    JOIN "Finding" f ON f."caseId" = b."caseId"
      AND (f.laterality = b.laterality OR (f.laterality IS NULL AND f."truthSubtype" = 'NORMAL'))
    WHERE b."caseId" = ANY (case_ids) AND f."truthStatus" <> 'UNLABELLED'
  ), agg AS (
    SELECT m.id, count(*) AS n,
      count(*) FILTER (WHERE m.status = 'CONFLICT') AS conflicts,
      count(*) FILTER (WHERE m.status = 'ADJUDICATED') AS adjudicated,
      coalesce(bool_or(m.subtype = 'NORMAL') AND bool_or(m.subtype <> 'NORMAL'), false) AS normal_and_lesion,
      count(DISTINCT m.subtype) FILTER (WHERE m.severity = top.severity) AS top_kinds,
      min(m.subtype) FILTER (WHERE m.severity = top.severity) AS top_subtype
    FROM member m
    JOIN (SELECT id, max(severity) AS severity FROM member GROUP BY id) top ON top.id = m.id
    GROUP BY m.id
  ), truth AS (
    SELECT b.id,
      (CASE WHEN a.id IS NULL THEN 'UNLABELLED'
            WHEN a.conflicts > 0 OR a.normal_and_lesion THEN 'CONFLICT'
            WHEN a.top_kinds > 1 THEN 'MIXED'
            WHEN a.adjudicated = a.n THEN 'ADJUDICATED' ELSE 'LABELLED' END)::"TruthStatus" AS status,
      CASE WHEN a.conflicts = 0 AND NOT a.normal_and_lesion AND a.top_kinds = 1 THEN a.top_subtype END AS subtype
    FROM "Breast" b LEFT JOIN agg a ON a.id = b.id
    WHERE b."caseId" = ANY (case_ids)
  )
  UPDATE "Breast" b SET "truthStatus" = t.status, "truthSubtype" = t.subtype
  FROM truth t
  WHERE b.id = t.id AND (b."truthStatus", b."truthSubtype") IS DISTINCT FROM (t.status, t.subtype);

  -- The case, derived: CONFLICT when a finding or a breast is; its truth the most severe truth
  -- of its findings when one class is the most severe; whether any finding is malignant.
  WITH member AS (
    SELECT f."caseId" AS id, f."truthStatus" AS status, f."truthSubtype" AS subtype, "subtype_severity"(f."truthSubtype") AS severity
    FROM "Finding" f
    WHERE f."caseId" = ANY (case_ids) AND f."truthStatus" <> 'UNLABELLED'
  ), agg AS (
    SELECT m.id, count(*) AS n,
      count(*) FILTER (WHERE m.status = 'CONFLICT') AS conflicts,
      count(*) FILTER (WHERE m.status = 'ADJUDICATED') AS adjudicated,
      count(DISTINCT m.subtype) FILTER (WHERE m.severity = top.severity) AS top_kinds,
      min(m.subtype) FILTER (WHERE m.severity = top.severity) AS top_subtype,
      coalesce(bool_or(m.severity = 2), false) AS malignant
    FROM member m
    JOIN (SELECT id, max(severity) AS severity FROM member GROUP BY id) top ON top.id = m.id
    GROUP BY m.id
  ), truth AS (
    SELECT c.id,
      (CASE WHEN a.id IS NULL THEN 'UNLABELLED'
            WHEN a.conflicts > 0 OR EXISTS (SELECT 1 FROM "Breast" b WHERE b."caseId" = c.id AND b."truthStatus" = 'CONFLICT')
              THEN 'CONFLICT'
            WHEN a.adjudicated = a.n THEN 'ADJUDICATED' ELSE 'LABELLED' END)::"TruthStatus" AS status,
      a.top_kinds, a.top_subtype, coalesce(a.malignant, false) AS malignant
    FROM "Case" c LEFT JOIN agg a ON a.id = c.id
    WHERE c.id = ANY (case_ids)
  )
  UPDATE "Case" c SET "truthStatus" = t.status,
    "truthSubtype" = CASE WHEN t.status IN ('LABELLED', 'ADJUDICATED') AND t.top_kinds = 1 THEN t.top_subtype END,
    "hasMalignantFinding" = t.malignant
  FROM truth t
  WHERE c.id = t.id
    AND (c."truthStatus", c."truthSubtype", c."hasMalignantFinding") IS DISTINCT FROM
        (t.status, CASE WHEN t.status IN ('LABELLED', 'ADJUDICATED') AND t.top_kinds = 1 THEN t.top_subtype END, t.malignant);
END;
$$;

-- Triggers: after every statement that changes labels, decisions or findings, the truth of the
-- cases it touched (one set-based refresh per statement, so bulk inserts stay cheap).
CREATE FUNCTION "refresh_truth_of_finding_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[] := ARRAY[]::uuid[];
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    ids := ids || ARRAY(SELECT DISTINCT f."caseId" FROM new_rows r JOIN "Finding" f ON f.id = r."findingId");
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    ids := ids || ARRAY(SELECT DISTINCT f."caseId" FROM old_rows r JOIN "Finding" f ON f.id = r."findingId");
  END IF;
  PERFORM "refresh_truth"(ARRAY(SELECT DISTINCT unnest(ids)));
  RETURN NULL;
END;
$$;

-- Findings: new ones, moved ones (laterality or case changed) and removed ones. refresh_truth's
-- own updates of the truth columns change neither, so they do not run it again.
CREATE FUNCTION "refresh_truth_of_findings"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[] := ARRAY[]::uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT DISTINCT "caseId" FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT DISTINCT "caseId" FROM old_rows);
  ELSE
    ids := ARRAY(
      SELECT n."caseId" FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.laterality IS DISTINCT FROM o.laterality OR n."caseId" <> o."caseId"
      UNION
      SELECT o."caseId" FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.laterality IS DISTINCT FROM o.laterality OR n."caseId" <> o."caseId");
  END IF;
  PERFORM "refresh_truth"(ids);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "PathologyLabel_truth_insert" AFTER INSERT ON "PathologyLabel"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "PathologyLabel_truth_update" AFTER UPDATE ON "PathologyLabel"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "PathologyLabel_truth_delete" AFTER DELETE ON "PathologyLabel"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "ConsensusDecision_truth_insert" AFTER INSERT ON "ConsensusDecision"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "ConsensusDecision_truth_update" AFTER UPDATE ON "ConsensusDecision"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "ConsensusDecision_truth_delete" AFTER DELETE ON "ConsensusDecision"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_finding_rows"();
CREATE TRIGGER "Finding_truth_insert" AFTER INSERT ON "Finding"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_findings"();
CREATE TRIGGER "Finding_truth_update" AFTER UPDATE ON "Finding"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_findings"();
CREATE TRIGGER "Finding_truth_delete" AFTER DELETE ON "Finding"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "refresh_truth_of_findings"();

-- The truth of every existing case.
SELECT "refresh_truth"(ARRAY(SELECT id FROM "Case"));
