import { describe, expect, it } from "vitest";
import { SeededRng } from "./seeded-rng.ts";

describe("SeededRng", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const a = Array.from({ length: 5 }, SeededRng.prototype.next, SeededRng.fromSeed(7));
    const b = Array.from({ length: 5 }, SeededRng.prototype.next, SeededRng.fromSeed(7));
    const c = Array.from({ length: 5 }, SeededRng.prototype.next, SeededRng.fromSeed(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("resumes exactly from a JSON round trip of its state", () => {
    const rng = SeededRng.fromSeed("resume");
    rng.next();
    const saved = JSON.parse(JSON.stringify(rng.state()));
    const expected = [rng.next(), rng.next(), rng.int(100)];
    const resumed = SeededRng.fromState(saved);
    expect([resumed.next(), resumed.next(), resumed.int(100)]).toEqual(expected);
  });
});
