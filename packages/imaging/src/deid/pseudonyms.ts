import { createHmac } from "node:crypto";

/**
 * Replacement UID for an original UID: "2.25." + the first 128 bits of HMAC-SHA256(secret, uid)
 * as a decimal integer (the UUID-derived UID form of PS3.5 B.2). The same original always maps
 * to the same replacement under one secret; without the secret it cannot be guessed or reversed.
 */
export function replacementUid(secret: string, originalUid: string): string {
  const digest = createHmac("sha256", secret).update(`uid\0${originalUid}`).digest("hex");
  return `2.25.${BigInt(`0x${digest.slice(0, 32)}`).toString(10)}`;
}

/** A patient's date offset: a whole number of days in [-1095, -1], fixed per site and patient key. */
export function dateShiftDaysFor(secret: string, siteId: string, patientKey: string): number {
  const digest = createHmac("sha256", secret).update(`date-shift\0${siteId}\0${patientKey}`).digest();
  return -1 - (digest.readUInt32BE(0) % 1095);
}

/** Shifts a DICOM DA value (YYYYMMDD) by whole days; undefined when the value is not a valid date. */
export function shiftDate(da: string, days: number): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d))
    return undefined;
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

/** Shifts the date part of a DICOM DT value (YYYYMMDD[HHMMSS[.F]][&ZZXX]); undefined when it has no full date. */
export function shiftDateTime(dt: string, days: number): string | undefined {
  const value = dt.trim();
  const shifted = shiftDate(value.slice(0, 8), days);
  return shifted === undefined ? undefined : shifted + value.slice(8);
}
