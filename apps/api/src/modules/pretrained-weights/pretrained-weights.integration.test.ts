import { createHash } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeKerasVgg16H5 } from "@mammo/ml-core/keras-h5-fixture";
import { contentKey } from "@mammo/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

// POST /pretrained-weights: a Keras .h5 (written here by h5py in the layout of Keras'
// vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5, random values, full VGG-16 size).
const LIST = /* GraphQL */ `
  query ($siteId: ID) {
    pretrainedWeights(siteId: $siteId) {
      weightsId
      name
      sha256
      sizeBytes
      source
      licence
      layers
    }
  }
`;

describe("registering ImageNet weights", () => {
  let api: TestApi;
  let dir: string;
  let site: { id: string; code: string };
  let otherSite: { id: string; code: string };
  let ml: string;
  let reader: string;
  let otherMl: string;
  let good: Buffer;

  beforeAll(async () => {
    api = await startTestApi();
    dir = await mkdtemp(path.join(os.tmpdir(), "mammo-weights-"));
    site = await createSite(api.db);
    otherSite = await createSite(api.db);
    ml = (await createUser(api.db, [{ siteId: site.id, role: "ML_ENGINEER" }])).id;
    reader = (await createUser(api.db, [{ siteId: site.id, role: "READER" }])).id;
    otherMl = (await createUser(api.db, [{ siteId: otherSite.id, role: "ML_ENGINEER" }])).id;
    good = await readFile(writeKerasVgg16H5(path.join(dir, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")));
  });
  afterAll(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * A multipart POST over node:http: the server may answer before the body is sent (a refusal
   * decided from the headers), and a write error after the answer is not the test's concern.
   */
  const upload = async (
    userId: string | null,
    siteCode: string,
    file: Buffer | null,
    fields: Record<string, string> = { source: "Keras Applications v0.1 release", licence: "MIT" },
  ) => {
    const boundary = `----mammo${Date.now()}`;
    const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
    if (file)
      parts.push(
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"\r\ncontent-type: application/x-hdf5\r\n\r\n`,
        ),
        file,
        Buffer.from("\r\n"),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    const headers: Record<string, string | number> = {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": body.length,
      ...(userId ? { authorization: `Bearer ${await api.sessionFor(userId)}` } : {}),
    };
    return new Promise<{ status: number; body: Record<string, unknown> & { error?: { message: string } } }>(
      (resolve, reject) => {
        let answered = false;
        const req = request(
          `${api.url}/pretrained-weights?site=${encodeURIComponent(siteCode)}`,
          { method: "POST", headers, agent: false },
          (res) => {
            answered = true;
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) as never }));
          },
        );
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        req.end(body);
      },
    );
  };

  it("an ML engineer uploads the .h5 once: stored content-addressed, listed with its digest, source and licence", async () => {
    const created = await upload(ml, site.code, good);
    expect(created.status).toBe(201);
    const sha256 = createHash("sha256").update(good).digest("hex");
    expect(created.body).toMatchObject({ sha256, architecture: "vgg16", format: "keras-h5", sizeBytes: good.length });
    // (Compared by digest: toEqual on 59 MB walks every element.)
    expect(
      createHash("sha256")
        .update(await api.blobs.get(contentKey(sha256)))
        .digest("hex"),
    ).toBe(sha256);
    const listed = await api.as<{ pretrainedWeights: Array<Record<string, unknown>> }>(ml, LIST, {
      siteId: globalId("Site", site.id),
    });
    expect(listed.pretrainedWeights).toEqual([
      expect.objectContaining({
        weightsId: created.body.id,
        name: "vgg16_weights_tf_dim_ordering_tf_kernels_notop",
        sha256,
        source: "Keras Applications v0.1 release",
        licence: "MIT",
        layers: expect.arrayContaining(["block1_conv1", "block5_conv3"]),
      }),
    ]);
    expect(await api.db.auditEvent.count({ where: { action: "pretrainedWeights.register", siteId: site.id } })).toBe(1);
    const again = await upload(ml, site.code, good);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toContain(
      `already registered at the site as "vgg16_weights_tf_dim_ordering_tf_kernels_notop"`,
    );
  });

  it("refuses a malformed file naming the layer and the shapes, and a missing source; stores nothing", async () => {
    const before = await api.db.pretrainedWeights.count();
    const broken = await readFile(
      writeKerasVgg16H5(path.join(dir, "broken.h5"), { breakWeight: "block3_conv2:kernel:3,3,256,128" }),
    );
    const refused = await upload(ml, site.code, broken);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toBe(
      "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5: layer block3_conv2 kernel (block3_conv2/kernel:0) has shape [3, 3, 256, 128] but the model needs [3, 3, 256, 256]",
    );
    const noSource = await upload(ml, site.code, good.subarray(0, 64), { licence: "MIT" });
    expect(noSource.status).toBe(400);
    expect(noSource.body.error?.message).toMatch(/^source: required/);
    expect(await api.db.pretrainedWeights.count()).toBe(before);
  });

  it("only the site's ML engineers may upload; another site answers as an unknown one", async () => {
    expect((await upload(null, site.code, good)).status).toBe(401);
    expect((await upload(reader, site.code, good)).status).toBe(403);
    const foreign = await upload(otherMl, site.code, good);
    const unknown = await upload(otherMl, "NO-SUCH-SITE", good);
    expect([foreign.status, unknown.status]).toEqual([404, 404]);
    expect(foreign.body).toEqual(unknown.body);
    expect((await api.as<{ pretrainedWeights: unknown[] }>(otherMl, LIST, { siteId: null })).pretrainedWeights).toEqual(
      [],
    );
  });
});
