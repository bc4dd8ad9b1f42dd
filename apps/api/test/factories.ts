// Test data factories: unique values per call, so tests never collide.
import { randomBytes } from "node:crypto";
import type { Db, Laterality, Role, ViewPosition } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import sharp from "sharp";

const unique = () => randomBytes(4).toString("hex");

export async function createSite(db: Db, code = `S${unique()}`.toUpperCase()) {
  return db.site.create({ data: { code, name: `Site ${code}` } });
}

export async function createUser(db: Db, memberships: { siteId: string; role: Role }[], options: { email?: string; passwordHash?: string } = {}) {
  return db.user.create({
    data: {
      email: options.email ?? `user-${unique()}@test.example`,
      name: `User ${unique()}`,
      passwordHash: options.passwordHash,
      memberships: { create: memberships },
    },
  });
}

const FOUR_VIEWS: { laterality: Laterality; view: ViewPosition }[] = [
  { laterality: "R", view: "CC" },
  { laterality: "L", view: "CC" },
  { laterality: "R", view: "MLO" },
  { laterality: "L", view: "MLO" },
];

/** A case with four small, distinct PNG images stored in the blob store. */
export async function createCase(db: Db, blobs: BlobStore, siteId: string) {
  const key = unique();
  const patient = await db.patient.create({ data: { siteId, pseudonym: `P-${key}`, dateShiftDays: 0 } });
  const c = await db.case.create({ data: { siteId, patientId: patient.id, accessionKey: `A-${key}` } });
  for (const [index, v] of FOUR_VIEWS.entries()) {
    const png = await sharp(Buffer.alloc(8 * 10, 40 * index + 1), { raw: { width: 8, height: 10, channels: 1 } })
      .png()
      .toBuffer();
    const stored = await blobs.put(png);
    await db.image.create({
      data: {
        caseId: c.id,
        ...v,
        widthPx: 8,
        heightPx: 10,
        bitsStored: 8,
        photometric: "MONOCHROME2",
        sourceFormat: "PNG",
        contentSha256: stored.sha256,
        storageKey: stored.key,
      },
    });
  }
  return c;
}

/** The Relay global id of a row, as the API exposes it. */
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
