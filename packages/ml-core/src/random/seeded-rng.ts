import seedrandom from "seedrandom";

/** The generator's whole state: JSON-serialisable, so a checkpoint can resume the same sequence. */
export type RngState = { readonly algorithm: "alea"; readonly state: seedrandom.State.Alea };

/**
 * Seeded pseudo-random numbers (seedrandom's Alea). Everything random in ml-core (augmentation,
 * sampling, folds, dropout masks, phantoms) draws from one of these so that a seed reproduces a run.
 */
export class SeededRng {
  private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  private constructor(prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>) {
    this.prng = prng;
  }

  static fromSeed(seed: number | string): SeededRng {
    return new SeededRng(seedrandom.alea(String(seed), { state: true }));
  }

  static fromState(saved: RngState): SeededRng {
    return new SeededRng(seedrandom.alea("", { state: { ...saved.state } }));
  }

  state(): RngState {
    return { algorithm: "alea", state: this.prng.state() };
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.prng();
  }

  /** Integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.prng() * maxExclusive);
  }

  /** A 31-bit seed for a TensorFlow.js op or a child generator. */
  seed(): number {
    return this.int(2 ** 31 - 1);
  }

  bool(probability = 0.5): boolean {
    return this.prng() < probability;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.prng());
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
