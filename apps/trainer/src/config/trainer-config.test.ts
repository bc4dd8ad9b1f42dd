import { describe, expect, it } from "vitest";
import { trainerConfigFromEnv } from "./trainer-config.ts";

describe("trainerConfigFromEnv", () => {
  it("has defaults that serve every queue, PACS imports and short jobs first", () => {
    const config = trainerConfigFromEnv({ NODE_ENV: "test" });
    expect(config).toMatchObject({
      backend: null,
      queues: ["pacs-import", "concordance", "infer", "evaluate", "train"],
      unreadableImages: "fail",
      leaseGraceSeconds: 30,
    });
  });

  it("takes overrides and refuses bad values naming the variable", () => {
    expect(
      trainerConfigFromEnv({
        NODE_ENV: "test",
        TRAINER_QUEUES: "train",
        TRAINER_BACKEND: "cpu",
        TRAINER_UNREADABLE_IMAGES: "skip",
      }),
    ).toMatchObject({ queues: ["train"], backend: "cpu", unreadableImages: "skip" });
    expect(() => trainerConfigFromEnv({ NODE_ENV: "test", TRAINER_QUEUES: "train,bake" })).toThrow(
      "TRAINER_QUEUES: unknown queue bake",
    );
    expect(() => trainerConfigFromEnv({ NODE_ENV: "test", TRAINER_BACKEND: "tpu" })).toThrow(
      /TRAINER_BACKEND must be one of auto, /,
    );
    expect(() => trainerConfigFromEnv({ NODE_ENV: "test", TRAINER_REAP_INTERVAL_MS: "-1" })).toThrow(
      'TRAINER_REAP_INTERVAL_MS must be a positive number, got "-1"',
    );
    expect(() => trainerConfigFromEnv({ NODE_ENV: "test", TRAINER_UNREADABLE_IMAGES: "ignore" })).toThrow(
      'TRAINER_UNREADABLE_IMAGES must be "fail" or "skip"',
    );
  });
});
