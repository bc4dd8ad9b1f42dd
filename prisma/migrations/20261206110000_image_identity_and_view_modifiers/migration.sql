-- Issue 13 (ingest): view modifiers, the presentation intent always known, and what ingest needs
-- to refuse one image or one study under two patients. Additive: existing rows keep their data.

-- CreateEnum
CREATE TYPE "ViewModifier" AS ENUM ('CLEAVAGE', 'AXILLARY_TAIL', 'ROLLED_LATERAL', 'ROLLED_MEDIAL', 'ROLLED_INFERIOR', 'ROLLED_SUPERIOR', 'IMPLANT_DISPLACED', 'MAGNIFICATION', 'SPOT_COMPRESSION', 'TANGENTIAL', 'NIPPLE_IN_PROFILE', 'ANTERIOR_COMPRESSION', 'INFRAMAMMARY_FOLD', 'AXILLARY_TISSUE', 'OTHER');

-- AlterTable: images without a stated intent (PNG, JPEG, DICOM without one) are for presentation.
UPDATE "Image" SET "presentationIntent" = 'FOR_PRESENTATION' WHERE "presentationIntent" IS NULL;
ALTER TABLE "Image" ALTER COLUMN "presentationIntent" SET DEFAULT 'FOR_PRESENTATION',
ALTER COLUMN "presentationIntent" SET NOT NULL,
ADD COLUMN "viewModifiers" "ViewModifier"[] DEFAULT ARRAY[]::"ViewModifier"[],
ADD COLUMN "pixelSha256" TEXT,
ADD COLUMN "studyInstanceUid" TEXT;

-- CreateIndex
CREATE INDEX "Image_pixelSha256_idx" ON "Image"("pixelSha256");

-- CreateIndex
CREATE INDEX "Image_studyInstanceUid_idx" ON "Image"("studyInstanceUid");
