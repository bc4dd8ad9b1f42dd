-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'COORDINATOR', 'READER', 'ANNOTATOR', 'ML_ENGINEER');

-- CreateEnum
CREATE TYPE "Laterality" AS ENUM ('R', 'L');

-- CreateEnum
CREATE TYPE "ViewPosition" AS ENUM ('CC', 'MLO', 'OTHER');

-- CreateEnum
CREATE TYPE "Photometric" AS ENUM ('MONOCHROME1', 'MONOCHROME2', 'RGB');

-- CreateEnum
CREATE TYPE "SourceFormat" AS ENUM ('DICOM', 'PNG', 'JPEG');

-- CreateEnum
CREATE TYPE "PresentationIntent" AS ENUM ('FOR_PRESENTATION', 'FOR_PROCESSING');

-- CreateEnum
CREATE TYPE "ImageStatus" AS ENUM ('ACTIVE', 'QUARANTINED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "Subtype" AS ENUM ('TUBULE_FORMING', 'SOLID', 'SCIRRHOUS', 'OTHER_INVASIVE', 'BENIGN', 'NORMAL');

-- CreateEnum
CREATE TYPE "SpecimenSource" AS ENUM ('BIOPSY', 'SURGERY');

-- CreateEnum
CREATE TYPE "ConsensusMethod" AS ENUM ('UNANIMOUS', 'ADJUDICATED');

-- CreateEnum
CREATE TYPE "RoiShape" AS ENUM ('POINT', 'BOX', 'ELLIPSE', 'POLYGON');

-- CreateEnum
CREATE TYPE "AnnotationPurpose" AS ENUM ('LESION', 'FINDING', 'OTHER');

-- CreateEnum
CREATE TYPE "DatasetSplit" AS ENUM ('TRAIN', 'VALIDATION', 'TEST');

-- CreateEnum
CREATE TYPE "StudyStatus" AS ENUM ('DRAFT', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "ArmKind" AS ENUM ('UNAIDED', 'AIDED');

-- CreateEnum
CREATE TYPE "QuestionKind" AS ENUM ('SUBTYPE', 'CONFIDENCE', 'ROI');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED', 'FAILED', 'SUCCEEDED');

-- CreateEnum
CREATE TYPE "InferenceTarget" AS ENUM ('STUDY', 'DATASET_VERSION', 'IMAGES');

-- CreateEnum
CREATE TYPE "SaliencyMethod" AS ENUM ('GRAD_CAM', 'GRAD_CAM_PLUS_PLUS');

-- CreateEnum
CREATE TYPE "ConcordanceSource" AS ENUM ('READ', 'ANNOTATION');

-- CreateTable
CREATE TABLE "Site" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "oidcSubject" TEXT,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "siteId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tokenPrefix" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ipAddress" TEXT NOT NULL,
    "isSuccess" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "dateShiftDays" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "accessionKey" TEXT NOT NULL,
    "examDate" DATE,
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "caseId" UUID NOT NULL,
    "laterality" "Laterality" NOT NULL,
    "view" "ViewPosition" NOT NULL,
    "viewCode" TEXT,
    "widthPx" INTEGER NOT NULL,
    "heightPx" INTEGER NOT NULL,
    "pixelSpacingRowMm" DOUBLE PRECISION,
    "pixelSpacingColMm" DOUBLE PRECISION,
    "bitsStored" INTEGER NOT NULL,
    "photometric" "Photometric" NOT NULL,
    "presentationIntent" "PresentationIntent",
    "windowCenter" DOUBLE PRECISION,
    "windowWidth" DOUBLE PRECISION,
    "sourceFormat" "SourceFormat" NOT NULL,
    "contentSha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "sopInstanceUid" TEXT,
    "status" "ImageStatus" NOT NULL DEFAULT 'ACTIVE',
    "quarantineReason" TEXT,
    "importBatchId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Blob" (
    "sha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Blob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "createdById" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "manifestName" TEXT,
    "status" "ImportStatus" NOT NULL DEFAULT 'RUNNING',
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ImportBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PathologyLabel" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "caseId" UUID NOT NULL,
    "laterality" "Laterality",
    "subtype" "Subtype" NOT NULL,
    "source" "SpecimenSource" NOT NULL,
    "specimenDate" DATE,
    "authorId" UUID NOT NULL,
    "note" TEXT,
    "replacesId" UUID,
    "retractedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PathologyLabel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsensusDecision" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "caseId" UUID NOT NULL,
    "subtype" "Subtype" NOT NULL,
    "method" "ConsensusMethod" NOT NULL,
    "decidedById" UUID NOT NULL,
    "rationale" TEXT,
    "supersededAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsensusDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Annotation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "imageId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "purpose" "AnnotationPurpose" NOT NULL,
    "shape" "RoiShape" NOT NULL,
    "geometry" JSONB NOT NULL,
    "pathologyLabelId" UUID,
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Annotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "filter" JSONB NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "datasetId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "foldCount" INTEGER NOT NULL,
    "splitFractions" JSONB NOT NULL,
    "classNames" TEXT[],
    "itemCount" INTEGER NOT NULL,
    "note" TEXT,
    "createdById" UUID NOT NULL,
    "frozenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "datasetVersionId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "siteId" UUID NOT NULL,
    "subtype" "Subtype" NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "fold" INTEGER,

    CONSTRAINT "DatasetItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReaderStudy" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "StudyStatus" NOT NULL DEFAULT 'DRAFT',
    "seed" INTEGER NOT NULL,
    "modelVersionId" UUID,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "openedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReaderStudy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyArm" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyId" UUID NOT NULL,
    "kind" "ArmKind" NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "StudyArm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyQuestion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyId" UUID NOT NULL,
    "kind" "QuestionKind" NOT NULL,
    "prompt" TEXT NOT NULL,
    "options" "Subtype"[],
    "isRequired" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL,

    CONSTRAINT "StudyQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyCase" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "code" TEXT NOT NULL,

    CONSTRAINT "StudyCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyReader" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "armId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyReader_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReaderCaseOrder" (
    "studyReaderId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "studyCaseId" UUID NOT NULL,

    CONSTRAINT "ReaderCaseOrder_pkey" PRIMARY KEY ("studyReaderId","position")
);

-- CreateTable
CREATE TABLE "Read" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyReaderId" UUID NOT NULL,
    "studyCaseId" UUID NOT NULL,
    "phase" "ArmKind" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "answer" "Subtype" NOT NULL,
    "confidence" INTEGER,
    "classScores" JSONB,
    "roiImageId" UUID,
    "roiShape" "RoiShape",
    "roiGeometry" JSONB,
    "timeSpentMs" INTEGER NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersedesId" UUID,
    "correctionReason" TEXT,

    CONSTRAINT "Read_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "datasetVersionId" UUID NOT NULL,
    "preset" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "backend" TEXT,
    "codeRevision" TEXT,
    "progress" JSONB,
    "error" TEXT,
    "requestedById" UUID NOT NULL,
    "cancelRequestedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingMetric" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "fold" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "trainingRunId" UUID,
    "datasetVersionId" UUID NOT NULL,
    "datasetDigest" TEXT NOT NULL,
    "artifactKey" TEXT NOT NULL,
    "artifactSha256" TEXT NOT NULL,
    "classNames" TEXT[],
    "inputSizePx" INTEGER NOT NULL,
    "preset" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,
    "codeRevision" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "trainingStartedAt" TIMESTAMPTZ(3) NOT NULL,
    "trainingFinishedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelAlias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "modelName" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "updatedById" UUID NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelVersionId" UUID NOT NULL,
    "datasetVersionId" UUID NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "metrics" JSONB,
    "error" TEXT,
    "requestedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InferenceRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "modelVersionId" UUID NOT NULL,
    "target" "InferenceTarget" NOT NULL,
    "studyId" UUID,
    "datasetVersionId" UUID,
    "imageIds" UUID[],
    "saliencyMethod" "SaliencyMethod" NOT NULL DEFAULT 'GRAD_CAM',
    "saliencyLayer" TEXT NOT NULL DEFAULT 'block5_conv3',
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "requestedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InferenceRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelVersionId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "inferenceRunId" UUID,
    "probabilities" DOUBLE PRECISION[],
    "predictedClass" "Subtype" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SaliencyMap" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "predictionId" UUID NOT NULL,
    "method" "SaliencyMethod" NOT NULL,
    "layerName" TEXT NOT NULL,
    "classIndex" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "widthPx" INTEGER NOT NULL,
    "heightPx" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SaliencyMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConcordanceResult" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "saliencyMapId" UUID NOT NULL,
    "source" "ConcordanceSource" NOT NULL,
    "readId" UUID,
    "annotationId" UUID,
    "isPointingHit" BOOLEAN NOT NULL,
    "energyInside" DOUBLE PRECISION NOT NULL,
    "iou" DOUBLE PRECISION NOT NULL,
    "iouThreshold" DOUBLE PRECISION NOT NULL,
    "pixelAuc" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConcordanceResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "siteId" UUID,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Site_code_key" ON "Site"("code");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE INDEX "Membership_siteId_idx" ON "Membership"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_siteId_role_key" ON "Membership"("userId", "siteId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "LoginAttempt_email_at_idx" ON "LoginAttempt"("email", "at");

-- CreateIndex
CREATE INDEX "LoginAttempt_ipAddress_at_idx" ON "LoginAttempt"("ipAddress", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_siteId_pseudonym_key" ON "Patient"("siteId", "pseudonym");

-- CreateIndex
CREATE INDEX "Case_patientId_idx" ON "Case"("patientId");

-- CreateIndex
CREATE INDEX "Case_siteId_createdAt_idx" ON "Case"("siteId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Case_siteId_accessionKey_key" ON "Case"("siteId", "accessionKey");

-- CreateIndex
CREATE UNIQUE INDEX "Image_sopInstanceUid_key" ON "Image"("sopInstanceUid");

-- CreateIndex
CREATE INDEX "Image_caseId_idx" ON "Image"("caseId");

-- CreateIndex
CREATE INDEX "Image_status_idx" ON "Image"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Image_caseId_contentSha256_key" ON "Image"("caseId", "contentSha256");

-- CreateIndex
CREATE INDEX "ImportBatch_siteId_createdAt_idx" ON "ImportBatch"("siteId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PathologyLabel_replacesId_key" ON "PathologyLabel"("replacesId");

-- CreateIndex
CREATE INDEX "PathologyLabel_caseId_idx" ON "PathologyLabel"("caseId");

-- CreateIndex
CREATE INDEX "ConsensusDecision_caseId_idx" ON "ConsensusDecision"("caseId");

-- CreateIndex
CREATE INDEX "Annotation_imageId_idx" ON "Annotation"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_siteId_name_key" ON "Dataset"("siteId", "name");

-- CreateIndex
CREATE INDEX "DatasetVersion_digest_idx" ON "DatasetVersion"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_datasetId_version_key" ON "DatasetVersion"("datasetId", "version");

-- CreateIndex
CREATE INDEX "DatasetItem_datasetVersionId_split_idx" ON "DatasetItem"("datasetVersionId", "split");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetItem_datasetVersionId_imageId_key" ON "DatasetItem"("datasetVersionId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "ReaderStudy_siteId_name_key" ON "ReaderStudy"("siteId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StudyArm_studyId_kind_key" ON "StudyArm"("studyId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "StudyQuestion_studyId_position_key" ON "StudyQuestion"("studyId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "StudyCase_studyId_caseId_key" ON "StudyCase"("studyId", "caseId");

-- CreateIndex
CREATE UNIQUE INDEX "StudyCase_studyId_code_key" ON "StudyCase"("studyId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "StudyReader_studyId_userId_key" ON "StudyReader"("studyId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ReaderCaseOrder_studyReaderId_studyCaseId_key" ON "ReaderCaseOrder"("studyReaderId", "studyCaseId");

-- CreateIndex
CREATE UNIQUE INDEX "Read_supersedesId_key" ON "Read"("supersedesId");

-- CreateIndex
CREATE INDEX "Read_studyCaseId_idx" ON "Read"("studyCaseId");

-- CreateIndex
CREATE UNIQUE INDEX "Read_studyReaderId_studyCaseId_phase_version_key" ON "Read"("studyReaderId", "studyCaseId", "phase", "version");

-- CreateIndex
CREATE INDEX "TrainingRun_siteId_createdAt_idx" ON "TrainingRun"("siteId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingRun_datasetVersionId_idx" ON "TrainingRun"("datasetVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingMetric_runId_fold_epoch_batch_name_key" ON "TrainingMetric"("runId", "fold", "epoch", "batch", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_trainingRunId_key" ON "ModelVersion"("trainingRunId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_siteId_name_version_key" ON "ModelVersion"("siteId", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ModelAlias_siteId_modelName_alias_key" ON "ModelAlias"("siteId", "modelName", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_modelVersionId_datasetVersionId_split_key" ON "Evaluation"("modelVersionId", "datasetVersionId", "split");

-- CreateIndex
CREATE INDEX "InferenceRun_siteId_createdAt_idx" ON "InferenceRun"("siteId", "createdAt");

-- CreateIndex
CREATE INDEX "Prediction_imageId_idx" ON "Prediction"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_modelVersionId_imageId_key" ON "Prediction"("modelVersionId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "SaliencyMap_predictionId_method_layerName_classIndex_key" ON "SaliencyMap"("predictionId", "method", "layerName", "classIndex");

-- CreateIndex
CREATE UNIQUE INDEX "ConcordanceResult_saliencyMapId_readId_key" ON "ConcordanceResult"("saliencyMapId", "readId");

-- CreateIndex
CREATE UNIQUE INDEX "ConcordanceResult_saliencyMapId_annotationId_key" ON "ConcordanceResult"("saliencyMapId", "annotationId");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_idx" ON "AuditEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_siteId_at_idx" ON "AuditEvent"("siteId", "at");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_importBatchId_fkey" FOREIGN KEY ("importBatchId") REFERENCES "ImportBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportBatch" ADD CONSTRAINT "ImportBatch_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportBatch" ADD CONSTRAINT "ImportBatch_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PathologyLabel" ADD CONSTRAINT "PathologyLabel_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PathologyLabel" ADD CONSTRAINT "PathologyLabel_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PathologyLabel" ADD CONSTRAINT "PathologyLabel_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "PathologyLabel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsensusDecision" ADD CONSTRAINT "ConsensusDecision_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsensusDecision" ADD CONSTRAINT "ConsensusDecision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_pathologyLabelId_fkey" FOREIGN KEY ("pathologyLabelId") REFERENCES "PathologyLabel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderStudy" ADD CONSTRAINT "ReaderStudy_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderStudy" ADD CONSTRAINT "ReaderStudy_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderStudy" ADD CONSTRAINT "ReaderStudy_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyArm" ADD CONSTRAINT "StudyArm_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ReaderStudy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyQuestion" ADD CONSTRAINT "StudyQuestion_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ReaderStudy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ReaderStudy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyReader" ADD CONSTRAINT "StudyReader_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ReaderStudy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyReader" ADD CONSTRAINT "StudyReader_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyReader" ADD CONSTRAINT "StudyReader_armId_fkey" FOREIGN KEY ("armId") REFERENCES "StudyArm"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderCaseOrder" ADD CONSTRAINT "ReaderCaseOrder_studyReaderId_fkey" FOREIGN KEY ("studyReaderId") REFERENCES "StudyReader"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderCaseOrder" ADD CONSTRAINT "ReaderCaseOrder_studyCaseId_fkey" FOREIGN KEY ("studyCaseId") REFERENCES "StudyCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_studyReaderId_fkey" FOREIGN KEY ("studyReaderId") REFERENCES "StudyReader"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_studyCaseId_fkey" FOREIGN KEY ("studyCaseId") REFERENCES "StudyCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_roiImageId_fkey" FOREIGN KEY ("roiImageId") REFERENCES "Image"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Read"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingMetric" ADD CONSTRAINT "TrainingMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_trainingRunId_fkey" FOREIGN KEY ("trainingRunId") REFERENCES "TrainingRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceRun" ADD CONSTRAINT "InferenceRun_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceRun" ADD CONSTRAINT "InferenceRun_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceRun" ADD CONSTRAINT "InferenceRun_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ReaderStudy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceRun" ADD CONSTRAINT "InferenceRun_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InferenceRun" ADD CONSTRAINT "InferenceRun_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_inferenceRunId_fkey" FOREIGN KEY ("inferenceRunId") REFERENCES "InferenceRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SaliencyMap" ADD CONSTRAINT "SaliencyMap_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcordanceResult" ADD CONSTRAINT "ConcordanceResult_saliencyMapId_fkey" FOREIGN KEY ("saliencyMapId") REFERENCES "SaliencyMap"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcordanceResult" ADD CONSTRAINT "ConcordanceResult_readId_fkey" FOREIGN KEY ("readId") REFERENCES "Read"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcordanceResult" ADD CONSTRAINT "ConcordanceResult_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Rules that Prisma's schema language cannot state (kept by hand; the drift test allows them).
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "Image" ADD CONSTRAINT "Image_dimensions_check" CHECK ("widthPx" > 0 AND "heightPx" > 0);
ALTER TABLE "Image" ADD CONSTRAINT "Image_bitsStored_check" CHECK ("bitsStored" BETWEEN 1 AND 16);
ALTER TABLE "Image" ADD CONSTRAINT "Image_contentSha256_check" CHECK ("contentSha256" ~ '^[0-9a-f]{64}$');
ALTER TABLE "Blob" ADD CONSTRAINT "Blob_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$');
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_geometry_check" CHECK (jsonb_typeof("geometry") = 'object');
ALTER TABLE "DatasetVersion" ADD CONSTRAINT "DatasetVersion_numbers_check" CHECK ("version" >= 1 AND "foldCount" >= 1 AND "itemCount" >= 0);
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_fold_check" CHECK ("fold" IS NULL OR "fold" >= 0);
ALTER TABLE "StudyQuestion" ADD CONSTRAINT "StudyQuestion_position_check" CHECK ("position" >= 0);
ALTER TABLE "ReaderCaseOrder" ADD CONSTRAINT "ReaderCaseOrder_position_check" CHECK ("position" >= 0);
ALTER TABLE "Read" ADD CONSTRAINT "Read_confidence_check" CHECK ("confidence" IS NULL OR "confidence" BETWEEN 0 AND 100);
ALTER TABLE "Read" ADD CONSTRAINT "Read_timeSpentMs_check" CHECK ("timeSpentMs" >= 0);
-- version 1 is the original read; every later version corrects the previous one and says why.
ALTER TABLE "Read" ADD CONSTRAINT "Read_correction_check" CHECK (
  ("version" = 1 AND "supersedesId" IS NULL AND "correctionReason" IS NULL)
  OR ("version" > 1 AND "supersedesId" IS NOT NULL AND length(btrim("correctionReason")) > 0)
);
ALTER TABLE "Read" ADD CONSTRAINT "Read_roi_check" CHECK (
  ("roiImageId" IS NULL AND "roiShape" IS NULL AND "roiGeometry" IS NULL)
  OR ("roiImageId" IS NOT NULL AND "roiShape" IS NOT NULL AND jsonb_typeof("roiGeometry") = 'object')
);
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_version_check" CHECK ("version" >= 1 AND "inputSizePx" > 0);
ALTER TABLE "SaliencyMap" ADD CONSTRAINT "SaliencyMap_dimensions_check" CHECK ("widthPx" > 0 AND "heightPx" > 0 AND "classIndex" >= 0);
ALTER TABLE "ConcordanceResult" ADD CONSTRAINT "ConcordanceResult_source_check" CHECK (
  ("source" = 'READ' AND "readId" IS NOT NULL AND "annotationId" IS NULL)
  OR ("source" = 'ANNOTATION' AND "annotationId" IS NOT NULL AND "readId" IS NULL)
);
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_tokenHash_check" CHECK ("tokenHash" ~ '^[0-9a-f]{64}$');

-- At most one current consensus decision per case.
CREATE UNIQUE INDEX "ConsensusDecision_current_key" ON "ConsensusDecision"("caseId") WHERE "supersededAt" IS NULL;

-- Append-only and immutable tables: reject changes for every role, the application's included.
CREATE FUNCTION "reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable (% rejected)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "AuditEvent_immutable" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_change"();
CREATE TRIGGER "Read_immutable" BEFORE UPDATE OR DELETE ON "Read"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
CREATE TRIGGER "DatasetVersion_immutable" BEFORE UPDATE OR DELETE ON "DatasetVersion"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
CREATE TRIGGER "DatasetItem_immutable" BEFORE UPDATE OR DELETE ON "DatasetItem"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
CREATE TRIGGER "ModelVersion_immutable" BEFORE UPDATE OR DELETE ON "ModelVersion"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
