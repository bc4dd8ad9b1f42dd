// s3rver (s3-blob-store.test.ts) checks the access key but not the SigV4 signature itself. This
// small fake of the four object calls (PUT, GET, HEAD, DELETE, path-style) recomputes every
// request's AWS Signature Version 4 the way S3 does, so signing is proven too.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobNotFoundError, sha256Hex } from "./blob-store.ts";
import { createBlobStoreFromEnv } from "./from-env.ts";
import { createS3BlobStore } from "./s3-blob-store.ts";

const ACCESS_KEY = "AKIDTESTMAMMO";
const SECRET_KEY = "fake-secret-key-for-the-local-s3";
const objects = new Map<string, Buffer>();
const requests: { method: string; path: string; signatureValid: boolean }[] = [];
let server: Server;
let endpoint: string;

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function verifySignature(req: IncomingMessage, body: Buffer): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? "",
    );
  if (!auth) return false;
  const [, accessKey, date, region, signedHeaders, signature] = auth;
  if (accessKey !== ACCESS_KEY) return false;
  const url = new URL(req.url!, "http://fake");
  const payloadHash = String(req.headers["x-amz-content-sha256"]);
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== hex(body)) return false;
  const query = [...url.searchParams]
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join("&");
  const headers = signedHeaders!
    .split(";")
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join("\n");
  const amzDate = String(req.headers["x-amz-date"]);
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, `${date}/${region}/s3/aws4_request`, hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, date!), region!), "s3"), "aws4_request");
  return hmac(key, stringToSign).toString("hex") === signature;
}

async function startFakeS3(): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url!, "http://fake").pathname;
    const signatureValid = verifySignature(req, body);
    requests.push({ method: req.method!, path, signatureValid });
    if (!signatureValid) {
      res
        .writeHead(403, { "content-type": "application/xml" })
        .end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
      return;
    }
    const stored = objects.get(path);
    if (req.method === "PUT") {
      objects.set(path, body);
      res.writeHead(200, { etag: `"${hex(body).slice(0, 32)}"` }).end();
    } else if (req.method === "HEAD") {
      res.writeHead(stored ? 200 : 404, stored ? { "content-length": stored.length } : {}).end();
    } else if (req.method === "GET") {
      if (!stored)
        res
          .writeHead(404, { "content-type": "application/xml" })
          .end("<Error><Code>NoSuchKey</Code><Message>missing</Message></Error>");
      else
        res.writeHead(200, { "content-length": stored.length, "content-type": "application/octet-stream" }).end(stored);
    } else if (req.method === "DELETE") {
      objects.delete(path);
      res.writeHead(204).end();
    } else res.writeHead(405).end();
  });
  // A port in this component's range (5400-5499).
  for (let port = 5400 + Math.floor(Math.random() * 50); port < 5500; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (ok) return s;
  }
  throw new Error("no free port in 5400-5499");
}

beforeAll(async () => {
  server = await startFakeS3();
  const address = server.address() as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const store = (secretAccessKey = SECRET_KEY) =>
  createS3BlobStore({
    bucket: "mammo-bucket",
    prefix: "site-a/",
    region: "eu-west-1",
    endpoint,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey },
  });

describe("S3-compatible blob store (against a local fake S3)", () => {
  it("stores content-addressed, path-style, every request signed (SigV4)", async () => {
    const blobs = store();
    const bytes = new TextEncoder().encode("de-identified image bytes");
    const first = await blobs.put(bytes);
    expect(first).toEqual({
      key: `sha256/${sha256Hex(bytes).slice(0, 2)}/${sha256Hex(bytes)}`,
      sha256: sha256Hex(bytes),
      sizeBytes: bytes.length,
      isNew: true,
    });
    expect(objects.has(`/mammo-bucket/site-a/${first.key}`)).toBe(true);
    const second = await blobs.put(bytes);
    expect(second.isNew).toBe(false); // the same bytes are stored once
    expect(requests.filter((r) => r.method === "PUT")).toHaveLength(1);
    expect([...(await blobs.get(first.key))]).toEqual([...bytes]);
    expect(await blobs.has(first.key)).toBe(true);

    await blobs.putAt("derived/abc/display-v1.png", new Uint8Array([1, 2, 3]));
    expect(objects.get("/mammo-bucket/site-a/derived/abc/display-v1.png")).toEqual(Buffer.from([1, 2, 3]));
    await blobs.delete(first.key);
    expect(await blobs.has(first.key)).toBe(false);
    await expect(blobs.get(first.key)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(requests.every((r) => r.signatureValid)).toBe(true);
  });

  it("fails loudly with wrong credentials (the fake rejects the signature)", async () => {
    await expect(store("wrong-secret").put(new Uint8Array([9]))).rejects.toThrow();
    expect(requests.at(-1)!.signatureValid).toBe(false);
  });

  it("refuses keys that could leave the store's namespace", async () => {
    await expect(store().get("../etc/passwd")).rejects.toThrow(/invalid blob key/);
    await expect(store().putAt("sha256/zz/evil", new Uint8Array([1]))).rejects.toThrow(/derived\/ keys only/);
  });

  it("is chosen by S3_BUCKET in the environment", async () => {
    const blobs = createBlobStoreFromEnv("/nonexistent", {
      S3_BUCKET: "mammo-bucket",
      S3_ENDPOINT: endpoint,
      S3_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    });
    const put = await blobs.put(new Uint8Array([4, 5, 6]));
    expect(objects.has(`/mammo-bucket/${put.key}`)).toBe(true);
  });
});
