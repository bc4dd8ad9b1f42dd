// Finding 15 of the security review (the trainer CLI ignored site boundaries) and issue 16 line 14
// (the CLI refused the ids the API returns with a raw Prisma stack trace). The CLI's `--as` user
// gets the API's rules (@mammo/access); ids are the database's uuids or the API's global ids.
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  authorizeEvaluateCommand,
  authorizeInferCommand,
  authorizeTrainCommand,
  idFromFlag,
} from "../src/cli/cli-access.ts";
import { CliError } from "../src/cli/cli-context.ts";
import { evaluateCommand, inferCommand } from "../src/cli/commands.ts";
import { createPhantomDataset } from "./phantom-dataset.ts";
import { createTempBlobDir } from "./trainer-harness.ts";

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
type Fixture = Awaited<ReturnType<typeof createPhantomDataset>>;

let database: TestDatabase;
let blobDir: Awaited<ReturnType<typeof createTempBlobDir>>;
let north: Fixture;
let south: Fixture;
let northModelId: string;
let southImageId: string;
let northImageId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await createTempBlobDir();
  vi.stubEnv("DATABASE_URL", database.url);
  vi.stubEnv("BLOB_DIR", blobDir.dir);
  const options = { classes: ["SOLID", "SCIRRHOUS"] as const, perClass: { train: 1, test: 1 } };
  north = await createPhantomDataset(database.db, blobDir.blobs, { ...options, classes: [...options.classes] });
  south = await createPhantomDataset(database.db, blobDir.blobs, { ...options, classes: [...options.classes] });
  const model = await database.db.modelVersion.create({
    data: {
      siteId: north.site.id,
      name: "north-model",
      version: 1,
      datasetVersionId: north.version.id,
      datasetDigest: north.version.digest,
      artifactKey: "models/none",
      artifactSha256: "0".repeat(64),
      classNames: ["SOLID", "SCIRRHOUS"],
      inputSizePx: 64,
      preset: "quick",
      params: {},
      metrics: {},
      codeRevision: "test",
      backend: "cpu",
      seed: 1,
      trainingStartedAt: new Date(),
      trainingFinishedAt: new Date(),
      createdById: north.user.id,
    },
  });
  northModelId = model.id;
  const imageOf = async (siteId: string) =>
    (await database.db.image.findFirstOrThrow({ where: { case: { siteId } }, orderBy: { id: "asc" } })).id;
  southImageId = await imageOf(south.site.id);
  northImageId = await imageOf(north.site.id);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database?.drop();
  await blobDir?.remove();
});

describe("finding 15: the trainer CLI's --as user gets the API's site rules", () => {
  it("finding 15: infer with a NORTH model on a SOUTH image as a NORTH ML engineer is refused, nothing stored", async () => {
    const flags = { "model-version": northModelId, images: southImageId, as: north.user.email };
    await expect(inferCommand(flags)).rejects.toThrow(new CliError("--images: 1 of the images were not found"));
    expect(await database.db.inferenceRun.count()).toBe(0);
    expect(await database.db.prediction.count()).toBe(0);
    // The same request for a NORTH image passes the rules.
    const allowed = await authorizeInferCommand(database.db, { ...flags, images: northImageId });
    expect(allowed.request.imageIds).toEqual([northImageId]);
  });

  it("training and evaluating on another site's dataset version, or with a model one cannot see, are refused", async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => "allowed",
        (e: Error) => `${e instanceof CliError ? "CliError" : e.name}: ${e.message}`,
      );
    expect(
      await refusal(authorizeTrainCommand(database.db, { "dataset-version": south.version.id, as: north.user.email })),
    ).toBe("CliError: --dataset-version: dataset version not found");
    expect(
      await refusal(
        authorizeEvaluateCommand(database.db, {
          "model-version": northModelId,
          "dataset-version": south.version.id,
          as: north.user.email,
        }),
      ),
    ).toBe("CliError: --dataset-version: dataset version not found");
    expect(
      await refusal(
        authorizeEvaluateCommand(database.db, {
          "model-version": northModelId,
          "dataset-version": south.version.id,
          as: south.user.email,
        }),
      ),
    ).toBe("CliError: --model-version: model version not found");
    expect(
      await refusal(
        authorizeTrainCommand(database.db, { "dataset-version": north.version.id, as: "nobody@x.example" }),
      ),
    ).toBe("CliError: --as: no active user nobody@x.example");
  });
});

describe("issue 16 line 14: the trainer CLI takes the API's global ids as well as uuids, and names a bad id", () => {
  it("accepts the global id GraphQL returns for each flag, and the raw uuid", async () => {
    const byGlobal = await authorizeInferCommand(database.db, {
      "model-version": globalId("ModelVersion", northModelId),
      images: [globalId("Image", northImageId), northImageId].join(","),
      as: north.user.email,
    });
    expect(byGlobal.model.id).toBe(northModelId);
    expect(byGlobal.request.imageIds).toEqual([northImageId]);
    const train = await authorizeTrainCommand(database.db, {
      "dataset-version": globalId("DatasetVersion", north.version.id),
      as: north.user.email,
    });
    expect(train.version.id).toBe(north.version.id);
  });

  it("refuses a malformed id or another type's id with a message naming the flag, not a database error", async () => {
    expect(() => idFromFlag("not-an-id", "ModelVersion", "--model-version")).toThrow(
      new CliError(`--model-version: "not-an-id" is not an id (give the uuid or the API's id of a ModelVersion)`),
    );
    const caseId = globalId("Case", north.version.id);
    await expect(
      evaluateCommand({ "model-version": caseId, "dataset-version": north.version.id, as: north.user.email }),
    ).rejects.toThrow(new CliError(`--model-version: ${caseId} is the id of a Case, not of a ModelVersion`));
    await expect(
      evaluateCommand({ "model-version": "12345", "dataset-version": north.version.id, as: north.user.email }),
    ).rejects.toBeInstanceOf(CliError);
  });
});
