import type { Prisma } from "./generated/prisma/client.ts";

/**
 * The images reading, datasets and AI on a study use by default: active (not quarantined or
 * rejected) and meant for presentation. FOR PROCESSING images (a detector's raw data) are kept
 * and shown in the case browser, but left out of these.
 */
export const READABLE_IMAGE = {
  status: "ACTIVE",
  presentationIntent: "FOR_PRESENTATION",
} as const satisfies Prisma.ImageWhereInput;
