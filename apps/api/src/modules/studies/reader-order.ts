import { seedFrom, seededRandom, shuffled } from "../../lib/seeded-random.ts";

/**
 * A reader's own case order: a shuffle seeded by the study's seed and the reader's user id, so
 * each reader gets a different order and the same reader always gets the same one.
 */
export function readerCaseOrder<T extends { id: string }>(
  studyCases: readonly T[],
  studySeed: number,
  readerUserId: string,
): T[] {
  const sorted = [...studyCases].sort((a, b) => a.id.localeCompare(b.id));
  return shuffled(sorted, seededRandom(seedFrom(studySeed, readerUserId)));
}
