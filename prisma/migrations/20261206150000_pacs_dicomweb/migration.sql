-- CreateEnum
CREATE TYPE "PacsAuthKind" AS ENUM ('NONE', 'BASIC', 'BEARER');

-- CreateEnum
CREATE TYPE "PacsImportStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "PacsStudyStatus" AS ENUM ('PENDING', 'IMPORTED', 'ALREADY_IMPORTED', 'FAILED');

-- CreateTable
CREATE TABLE "PacsConnection" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "authKind" "PacsAuthKind" NOT NULL DEFAULT 'NONE',
    "sealedAuth" TEXT,
    "maxConcurrency" INTEGER NOT NULL DEFAULT 2,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PacsConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PacsImport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "status" "PacsImportStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PacsImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PacsImportStudy" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "importId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "status" "PacsStudyStatus" NOT NULL DEFAULT 'PENDING',
    "instanceCount" INTEGER,
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "quarantinedCount" INTEGER NOT NULL DEFAULT 0,
    "caseId" UUID,
    "importBatchId" UUID,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PacsImportStudy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PacsStudyLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "originalStudyUid" TEXT NOT NULL,
    "deidStudyUid" TEXT NOT NULL,
    "sealedIdentity" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PacsStudyLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PacsInstanceLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "studyLinkId" UUID NOT NULL,
    "originalSeriesUid" TEXT NOT NULL,
    "originalSopUid" TEXT NOT NULL,
    "deidSopUid" TEXT NOT NULL,
    "sopClassUid" TEXT NOT NULL,

    CONSTRAINT "PacsInstanceLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PacsConnection_siteId_name_key" ON "PacsConnection"("siteId", "name");

-- CreateIndex
CREATE INDEX "PacsImport_siteId_createdAt_idx" ON "PacsImport"("siteId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PacsImportStudy_importId_position_key" ON "PacsImportStudy"("importId", "position");

-- CreateIndex
CREATE INDEX "PacsStudyLink_caseId_idx" ON "PacsStudyLink"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "PacsStudyLink_siteId_originalStudyUid_key" ON "PacsStudyLink"("siteId", "originalStudyUid");

-- CreateIndex
CREATE UNIQUE INDEX "PacsInstanceLink_deidSopUid_key" ON "PacsInstanceLink"("deidSopUid");

-- CreateIndex
CREATE UNIQUE INDEX "PacsInstanceLink_studyLinkId_originalSopUid_key" ON "PacsInstanceLink"("studyLinkId", "originalSopUid");

-- AddForeignKey
ALTER TABLE "PacsConnection" ADD CONSTRAINT "PacsConnection_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsConnection" ADD CONSTRAINT "PacsConnection_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsImport" ADD CONSTRAINT "PacsImport_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsImport" ADD CONSTRAINT "PacsImport_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "PacsConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsImport" ADD CONSTRAINT "PacsImport_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsImportStudy" ADD CONSTRAINT "PacsImportStudy_importId_fkey" FOREIGN KEY ("importId") REFERENCES "PacsImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsStudyLink" ADD CONSTRAINT "PacsStudyLink_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsStudyLink" ADD CONSTRAINT "PacsStudyLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "PacsConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsStudyLink" ADD CONSTRAINT "PacsStudyLink_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PacsInstanceLink" ADD CONSTRAINT "PacsInstanceLink_studyLinkId_fkey" FOREIGN KEY ("studyLinkId") REFERENCES "PacsStudyLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Bounded concurrency towards a PACS.
ALTER TABLE "PacsConnection" ADD CONSTRAINT "PacsConnection_maxConcurrency_check" CHECK ("maxConcurrency" BETWEEN 1 AND 16);
