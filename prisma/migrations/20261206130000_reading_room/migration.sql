-- CreateEnum
CREATE TYPE "HangingProtocol" AS ENUM ('ONE_BY_FOUR', 'TWO_BY_TWO');

-- CreateTable
CREATE TABLE "UserPreference" (
    "userId" UUID NOT NULL,
    "hangingProtocol" "HangingProtocol" NOT NULL DEFAULT 'ONE_BY_FOUR',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserPreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ImageDelivery" (
    "studyReaderId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "studyCaseId" UUID NOT NULL,
    "firstServedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageDelivery_pkey" PRIMARY KEY ("studyReaderId","imageId")
);

-- CreateIndex
CREATE INDEX "ImageDelivery_studyReaderId_studyCaseId_idx" ON "ImageDelivery"("studyReaderId", "studyCaseId");

-- AddForeignKey
ALTER TABLE "UserPreference" ADD CONSTRAINT "UserPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageDelivery" ADD CONSTRAINT "ImageDelivery_studyReaderId_fkey" FOREIGN KEY ("studyReaderId") REFERENCES "StudyReader"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageDelivery" ADD CONSTRAINT "ImageDelivery_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageDelivery" ADD CONSTRAINT "ImageDelivery_studyCaseId_fkey" FOREIGN KEY ("studyCaseId") REFERENCES "StudyCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A delivery is a fact: its time is never changed (the API role has no UPDATE/DELETE on it either).
CREATE TRIGGER "ImageDelivery_immutable" BEFORE UPDATE ON "ImageDelivery"
  FOR EACH ROW EXECUTE FUNCTION "reject_change"();
