import { request, type ClientRequest, type IncomingMessage } from "node:http";
import { derivedKeys } from "@mammo/imaging";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDicom } from "@mammo/imaging/testing";
import { createUser } from "../../test/factories.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { MAX_PARALLEL_UPLOADS_PER_USER } from "./upload-routes.ts";

let api: TestApi;
let adminToken: string;
let readerToken: string;
const MAX_FILE_BYTES = 256 * 1024;

beforeAll(async () => {
  process.env.DEID_SECRET ??= "upload-test-deid-secret";
  api = await startTestApi({ maxUploadBytes: MAX_FILE_BYTES });
  const site = await api.db.site.create({ data: { code: "UPL", name: "Upload site" } });
  const admin = await api.db.user.create({
    data: { email: "admin@upl.example", name: "Admin", memberships: { create: [{ siteId: site.id, role: "ADMIN" }] } },
  });
  const reader = await api.db.user.create({
    data: {
      email: "reader@upl.example",
      name: "Reader",
      memberships: { create: [{ siteId: site.id, role: "READER" }] },
    },
  });
  adminToken = await api.sessionFor(admin.id);
  readerToken = await api.sessionFor(reader.id);
});
afterAll(() => api?.stop());

// A DICOM whose every pixel sits on the window centre: its display image is mid-grey (128).
const flatDicom = () =>
  buildDicom({
    widthPx: 40,
    heightPx: 30,
    bitsStored: 12,
    pixels: new Uint16Array(40 * 30).fill(2000),
    attributes: { WindowCenter: 2000, WindowWidth: 400, ImageLaterality: "R", ViewPosition: "CC" },
  });

function form(parts: {
  manifest?: string;
  site?: string;
  files?: Record<string, Uint8Array>;
  /** Parts appended as they are: the same name may come twice. */
  parts?: [string, Uint8Array][];
}) {
  const body = new FormData();
  if (parts.site) body.append("site", parts.site);
  if (parts.manifest) body.append("manifest", new Blob([parts.manifest], { type: "text/csv" }), "manifest.csv");
  for (const [name, bytes] of [...Object.entries(parts.files ?? {}), ...(parts.parts ?? [])])
    body.append("files", new Blob([bytes]), name);
  return body;
}

const post = (body: FormData, token?: string, site = "UPL") =>
  fetch(`${api.url}/imports?site=${site}`, {
    method: "POST",
    body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("REST upload: POST /imports", () => {
  it("imports uploaded files by manifest, and serves the windowed display image and thumbnails", async () => {
    const png = await sharp(Buffer.alloc(64 * 48, 77), { raw: { width: 64, height: 48, channels: 1 } })
      .png()
      .toBuffer();
    const response = await post(
      form({
        site: "UPL",
        manifest: "file,patient,laterality,view\nrcc.dcm,P-1,,\nlmlo.png,P-1,L,MLO\n",
        files: { "rcc.dcm": flatDicom(), "lmlo.png": png },
      }),
      adminToken,
    );
    expect(response.status).toBe(200);
    const summary = (await response.json()) as { imageCount: number; errorCount: number; batchId: string };
    expect(summary).toMatchObject({ imageCount: 2, errorCount: 0 });
    const batch = await api.db.importBatch.findUniqueOrThrow({ where: { id: summary.batchId } });
    expect(batch.source).toBe("api");

    const dicomImage = await api.db.image.findFirstOrThrow({ where: { sourceFormat: "DICOM" } });
    const display = await fetch(`${api.url}/images/${dicomImage.id}/display.png`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(display.headers.get("content-type")).toBe("image/png");
    const displayPng = Buffer.from(await display.arrayBuffer());
    const meta = await sharp(displayPng).metadata();
    expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([40, 30, 1, "uchar"]); // 8-bit grey
    const data = await sharp(displayPng).extractChannel(0).raw().toBuffer();
    expect(new Set(data)).toEqual(new Set([128]));
    expect(await api.blobs.has(derivedKeys.display(dicomImage.contentSha256))).toBe(true);

    const thumb = await fetch(`${api.url}/images/${dicomImage.id}/thumbnail.png?size=128`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([thumbMeta.width, thumbMeta.height]).toEqual([128, 96]);

    const pngImage = await api.db.image.findFirstOrThrow({ where: { sourceFormat: "PNG" } });
    const pngDisplay = await fetch(`${api.url}/images/${pngImage.id}/display.png`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const pngPixels = await sharp(Buffer.from(await pngDisplay.arrayBuffer()))
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(new Set(pngPixels)).toEqual(new Set([77]));
  });

  it("refuses unauthenticated uploads and users without an import role", async () => {
    const body = () => form({ site: "UPL", manifest: "file,patient\na.dcm,P-2\n", files: { "a.dcm": flatDicom() } });
    expect((await post(body())).status).toBe(401);
    const forbidden = await post(body(), readerToken);
    expect(forbidden.status).toBe(403);
  });

  it("refuses a file over the per-file limit with 413, and never uses an uploaded name as a path", async () => {
    const tooBig = await post(
      form({
        site: "UPL",
        manifest: "file,patient\nbig.dcm,P-3\n",
        files: { "big.dcm": new Uint8Array(MAX_FILE_BYTES + 1) },
      }),
      adminToken,
    );
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { message: string } }).error.message).toMatch(
      /exceeds the limit of 262144 bytes per file/,
    );

    // The multipart parser keeps only the base name; the manifest's "../evil.dcm" is merely a
    // key that matches no uploaded file.
    const traversal = await post(
      form({ site: "UPL", manifest: "file,patient\n../evil.dcm,P-4\n", files: { "../evil.dcm": flatDicom() } }),
      adminToken,
    );
    expect(await traversal.json()).toMatchObject({ imageCount: 0, errors: [{ row: 2, code: "FILE_NOT_FOUND" }] });
    expect(await api.db.patient.count({ where: { pseudonym: { in: ["P-3", "P-4"] } } })).toBe(0);
  });

  it("gives per-row errors for a file uploaded twice, importing the good rows (issue 13: it was a whole 400)", async () => {
    const png = (value: number) =>
      sharp(Buffer.alloc(32 * 16, value), { raw: { width: 32, height: 16, channels: 1 } })
        .png()
        .toBuffer();
    const [a, b, c] = await Promise.all([png(11), png(12), png(13)]);
    const response = await post(
      form({
        site: "UPL",
        manifest: "file,patient,laterality,view\ngood.png,P-6,L,CC\ntwice.png,P-7,L,CC\nsame.png,P-8,L,CC\n",
        parts: [
          ["good.png", a],
          ["twice.png", b],
          ["twice.png", c], // two different files under one name: which one is meant is unclear
          ["same.png", c],
          ["same.png", c], // the same bytes twice: one file
        ],
      }),
      adminToken,
    );
    expect(response.status).toBe(200);
    const summary = (await response.json()) as { imageCount: number; errors: unknown[] };
    expect(summary).toMatchObject({ imageCount: 2 });
    expect(summary.errors).toEqual([
      {
        row: 3,
        file: "twice.png",
        code: "CONFLICT",
        message: "two different files were uploaded under this name; upload the one the manifest means",
      },
    ]);
  });

  it("matches UTF-8 file names, and stores neither them nor the manifest's name", async () => {
    const png = await sharp(Buffer.alloc(32 * 16, 14), { raw: { width: 32, height: 16, channels: 1 } })
      .png()
      .toBuffer();
    const response = await post(
      form({
        site: "UPL",
        manifest: "file,patient,laterality,view\nlésion_Müller.png,P-9,R,CC\nabsent_Müller.png,P-10,R,CC\n",
        files: { "lésion_Müller.png": png },
      }),
      adminToken,
    );
    const summary = (await response.json()) as { batchId: string; imageCount: number; errors: { file: string }[] };
    expect(summary).toMatchObject({ imageCount: 1, errors: [{ file: "absent_Müller.png" }] });
    const batch = await api.db.importBatch.findUniqueOrThrow({ where: { id: summary.batchId } });
    expect(JSON.stringify(batch)).not.toMatch(/Müller|manifest\.csv/);
  });

  it("reports files the manifest names but the upload lacks, by row", async () => {
    const response = await post(form({ site: "UPL", manifest: "file,patient\nmissing.dcm,P-5\n" }), adminToken);
    const summary = (await response.json()) as { status: string; errors: { row: number; code: string }[] };
    expect(summary).toMatchObject({ status: "FAILED", errors: [{ row: 2, code: "FILE_NOT_FOUND" }] });
  });
});

/**
 * An upload sent by hand: the multipart head (site and manifest parts, the start of one file
 * part), then `fileBytes` zeros in 1 MiB chunks, honouring back-pressure, and the closing
 * boundary. Stops sending as soon as the server answers. `stall`: send the head only, then wait.
 */
function rawUpload(options: {
  token: string;
  site: string;
  fileBytes: number;
  expectContinue?: boolean;
  stall?: boolean;
}): { req: ClientRequest; done: Promise<{ status: number; body: string; sentFileBytes: number; continued: boolean }> } {
  const boundary = "----mammo-test-boundary";
  const head = Buffer.from(
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="site"',
      "",
      options.site,
      `--${boundary}`,
      'Content-Disposition: form-data; name="manifest"; filename="manifest.csv"',
      "Content-Type: text/csv",
      "",
      "file,patient",
      "big.dcm,P-STREAM",
      `--${boundary}`,
      'Content-Disposition: form-data; name="files"; filename="big.dcm"',
      "Content-Type: application/octet-stream",
      "",
      "",
    ].join("\r\n"),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${api.url}/imports?site=${options.site}`);
  const req = request(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${options.token}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(head.length + options.fileBytes + tail.length),
      ...(options.expectContinue ? { expect: "100-continue" } : {}),
    },
  });
  const done = new Promise<{ status: number; body: string; sentFileBytes: number; continued: boolean }>(
    (resolve, reject) => {
      let sentFileBytes = 0;
      let answered = false;
      let continued = false;
      const chunk = Buffer.alloc(1024 * 1024);
      const sendBody = async () => {
        if (!req.write(head)) await new Promise((r) => req.once("drain", r));
        if (options.stall) return;
        while (sentFileBytes < options.fileBytes && !answered) {
          const piece = chunk.subarray(0, Math.min(chunk.length, options.fileBytes - sentFileBytes));
          sentFileBytes += piece.length;
          if (!req.write(piece)) await new Promise((r) => req.once("drain", r));
        }
        if (!answered) req.end(tail);
      };
      req.on("error", (error) => (answered ? undefined : reject(error))); // after the answer: the server closed
      req.on("continue", () => {
        continued = true;
        void sendBody().catch(() => {});
      });
      req.on("response", (res: IncomingMessage) => {
        answered = true;
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sentFileBytes, continued }));
      });
      req.flushHeaders();
      if (!options.expectContinue) void sendBody().catch(() => {});
    },
  );
  return { req, done };
}

describe("finding 6: POST /imports decides who may upload where before reading the body", () => {
  const BIG = 64 * 1024 * 1024;

  it("finding 6: a reader streaming a large upload is refused before the server reads it", async () => {
    const streamed = await rawUpload({ token: readerToken, site: "UPL", fileBytes: BIG }).done;
    expect(streamed.status).toBe(403);
    expect(streamed.sentFileBytes, "bytes the client got to send before the answer").toBeLessThan(BIG / 2);
    // A client that asks first (Expect: 100-continue) never sends the body at all.
    const asked = await rawUpload({ token: readerToken, site: "UPL", fileBytes: BIG, expectContinue: true }).done;
    expect(asked).toMatchObject({ status: 403, continued: false, sentFileBytes: 0 });
  });

  it("finding 6: an unknown site and a site one may not import into get the same answer", async () => {
    const answers = [];
    for (const site of ["UPL", "NOSUCHSITE"]) {
      const response = await post(form({ site, manifest: "file,patient\na.dcm,P-2\n" }), readerToken, site);
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(403);
  });

  it(`finding 6: at most ${MAX_PARALLEL_UPLOADS_PER_USER} uploads of one user at a time`, async () => {
    const site = await api.db.site.findUniqueOrThrow({ where: { code: "UPL" } });
    const coordinator = await api.sessionFor((await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id);
    // Two uploads admitted (the server said "continue") and left open...
    const open = Array.from({ length: MAX_PARALLEL_UPLOADS_PER_USER }, () =>
      rawUpload({ token: coordinator, site: "UPL", fileBytes: 1024, expectContinue: true, stall: true }),
    );
    await Promise.all(open.map(({ req }) => new Promise((resolve) => req.once("continue", resolve))));
    // ...so a third, complete one is refused at once; another user still uploads.
    const third = await rawUpload({ token: coordinator, site: "UPL", fileBytes: 1024 }).done;
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    const other = await rawUpload({ token: adminToken, site: "UPL", fileBytes: 1024 }).done;
    expect(other.status).toBe(200);
    for (const { req, done } of open) {
      req.destroy();
      await done.catch(() => {});
    }
  });
});
