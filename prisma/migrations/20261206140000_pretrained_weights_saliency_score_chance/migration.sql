-- CreateEnum
CREATE TYPE "SaliencyScore" AS ENUM ('LOGIT', 'PROBABILITY', 'LOG_ODDS');

-- DropIndex
DROP INDEX "SaliencyMap_predictionId_method_layerName_classIndex_key";

-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "pretrainedWeightsId" UUID;

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "pretrainedWeightsId" UUID;

-- AlterTable
ALTER TABLE "InferenceRun" ADD COLUMN     "saliencyScore" "SaliencyScore" NOT NULL DEFAULT 'LOGIT';

-- AlterTable
ALTER TABLE "SaliencyMap" ADD COLUMN     "score" "SaliencyScore" NOT NULL DEFAULT 'LOGIT';

-- AlterTable
ALTER TABLE "ConcordanceResult" ADD COLUMN     "centreBiasEnergyInside" DOUBLE PRECISION,
ADD COLUMN     "centreBiasHit" BOOLEAN,
ADD COLUMN     "uniformEnergyInside" DOUBLE PRECISION,
ADD COLUMN     "uniformHitChance" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "PretrainedWeights" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "siteId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "fileName" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "licence" TEXT NOT NULL,
    "layers" TEXT[],
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PretrainedWeights_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PretrainedWeights_siteId_sha256_key" ON "PretrainedWeights"("siteId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "PretrainedWeights_siteId_name_key" ON "PretrainedWeights"("siteId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SaliencyMap_predictionId_method_layerName_score_classIndex_key" ON "SaliencyMap"("predictionId", "method", "layerName", "score", "classIndex");

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_pretrainedWeightsId_fkey" FOREIGN KEY ("pretrainedWeightsId") REFERENCES "PretrainedWeights"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_pretrainedWeightsId_fkey" FOREIGN KEY ("pretrainedWeightsId") REFERENCES "PretrainedWeights"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PretrainedWeights" ADD CONSTRAINT "PretrainedWeights_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PretrainedWeights" ADD CONSTRAINT "PretrainedWeights_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Registered weights never change: training runs and model versions name them by id and digest.
CREATE TRIGGER "PretrainedWeights_immutable" BEFORE UPDATE OR DELETE ON "PretrainedWeights"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
