import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { authorizeImport } from "@mammo/access";
import { DEFAULT_IMAGING_LIMITS, ImagingError, importManifest } from "@mammo/imaging";
import busboy from "busboy";
import { Router, type Request } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import { toAppError } from "./imaging-errors.ts";

const DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 ** 3;
const MAX_FILES = 5000;
/** Uploads one user may have in progress at once (per API process); more are refused with 429. */
export const MAX_PARALLEL_UPLOADS_PER_USER = 2;

type Uploaded = {
  manifest?: { name: string; path: string };
  files: Map<string, { path: string; sha256: string }>;
  /** Names uploaded twice with different content: the rows naming them fail, the others go on. */
  ambiguousNames: Set<string>;
  siteCode?: string;
};

/**
 * POST /imports?site=CODE (multipart/form-data): a bulk import over HTTP, as the signed-in user or
 * an API token's owner. Parts: `manifest` (the CSV, see @mammo/imaging's manifest format) and the
 * image files, matched to the manifest's `file` column by their file name (UTF-8). Limits:
 * MAX_UPLOAD_BYTES per file, MAX_UPLOAD_REQUEST_BYTES per request (default 2 GiB),
 * MAX_PARALLEL_UPLOADS_PER_USER. Who may import where is decided from the headers and the query
 * before a byte of the body is read (a client sending `Expect: 100-continue` is refused before it
 * sends the body; any other is answered and the connection closed). Uploaded names are only
 * looked up, never used as paths, and not stored (they may identify a patient). A name uploaded
 * twice with the same bytes is one file; with different bytes, the rows naming it fail and the
 * other rows import. Answers with the import summary.
 */
export function uploadRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  const maxRequestBytes = Number(process.env.MAX_UPLOAD_REQUEST_BYTES ?? DEFAULT_MAX_REQUEST_BYTES);
  const inProgress = new Map<string, number>();
  router.post("/imports", async (req, res, next) => {
    let tempDir: string | undefined;
    let release: (() => void) | undefined;
    let isReadingBody = false;
    try {
      const { userId, siteId } = await admit(req);
      release = takeSlot(inProgress, userId);
      const deidSecret = process.env.DEID_SECRET;
      if (!deidSecret) throw new AppError("INTERNAL", "DEID_SECRET is not configured");
      if (req.headers.expect?.toLowerCase() === "100-continue") res.writeContinue();
      isReadingBody = true;
      tempDir = await mkdtemp(path.join(os.tmpdir(), "mammo-upload-"));
      const uploaded = await receive(req, tempDir, config.maxUploadBytes, maxRequestBytes);
      if (!uploaded.manifest)
        throw new AppError("VALIDATION", "the upload has no manifest part", { field: "manifest" });
      if (uploaded.siteCode !== undefined && uploaded.siteCode !== req.query.site)
        throw new AppError("VALIDATION", "the site part differs from ?site= (give the site once, in the query)", {
          field: "site",
        });
      const summary = await importManifest(
        {
          db: services.db,
          blobs: services.blobs,
          deidSecret,
          limits: { ...DEFAULT_IMAGING_LIMITS, maxFileBytes: config.maxUploadBytes },
        },
        {
          actorUserId: userId,
          siteId,
          source: "api",
          manifestCsv: await readFile(uploaded.manifest.path),
          readFile: async (name) => {
            if (uploaded.ambiguousNames.has(name))
              throw new ImagingError(
                "CONFLICT",
                "two different files were uploaded under this name; upload the one the manifest means",
              );
            const file = uploaded.files.get(name);
            if (!file) throw new ImagingError("FILE_NOT_FOUND", "the file named in the manifest was not uploaded");
            return readFile(file.path);
          },
          requestId: req.requestId,
        },
      );
      res.json(summary);
    } catch (error) {
      // Refused before the body was read: answer and close, never reading what the client sends.
      if (isReadingBody) req.resume();
      else res.setHeader("connection", "close");
      next(toAppError(error));
    } finally {
      release?.();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    }
  });

  /** Who asks, for which site, and whether the request's declared shape is acceptable: headers and query only. */
  async function admit(req: Request): Promise<{ userId: string; siteId: string }> {
    const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
    if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
    const siteCode = typeof req.query.site === "string" ? req.query.site.trim() : "";
    if (!siteCode)
      throw new AppError("VALIDATION", "name the site in the query: POST /imports?site=CODE", { field: "site" });
    const { siteId } = await authorizeImport(services.db, viewer, siteCode);
    if (!req.headers["content-type"]?.startsWith("multipart/form-data"))
      throw new AppError("UNSUPPORTED_MEDIA", "send the import as multipart/form-data");
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxRequestBytes)
      throw new AppError("PAYLOAD_TOO_LARGE", `request is ${declared} bytes; the limit is ${maxRequestBytes}`);
    return { userId: viewer.userId, siteId };
  }
  return router;
}

/** One of the user's parallel upload slots, or RATE_LIMITED; the returned function gives it back. */
function takeSlot(inProgress: Map<string, number>, userId: string): () => void {
  const count = inProgress.get(userId) ?? 0;
  if (count >= MAX_PARALLEL_UPLOADS_PER_USER)
    throw new AppError(
      "RATE_LIMITED",
      `you have ${count} uploads in progress; wait for one to finish (at most ${MAX_PARALLEL_UPLOADS_PER_USER} at a time)`,
    );
  inProgress.set(userId, count + 1);
  return () => {
    const left = (inProgress.get(userId) ?? 1) - 1;
    if (left > 0) inProgress.set(userId, left);
    else inProgress.delete(userId);
  };
}

// Streams every part to a temporary file named by its index; client names are only map keys.
function receive(req: Request, dir: string, maxFileBytes: number, maxRequestBytes: number): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const result: Uploaded = { files: new Map(), ambiguousNames: new Set() };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send file names as UTF-8; busboy's default (Latin-1) would garble "lésion.png".
        defParamCharset: "utf8",
        limits: { fileSize: maxFileBytes, files: MAX_FILES + 1, fields: 10, fieldSize: 1024 },
      });
    } catch {
      reject(new AppError("VALIDATION", "malformed multipart request"));
      return;
    }
    let total = 0;
    let index = 0;
    let failed = false;
    const writes: Promise<void>[] = [];
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      reject(error);
    };
    parser.on("field", (name, value) => {
      if (name === "site") result.siteCode = value.trim();
    });
    parser.on("file", (field, stream, info) => {
      const name = info.filename ?? "";
      // eslint-disable-next-line no-control-regex -- control bytes are what this refuses
      if (!/^[^\0-\x1f\x7f/\\]{1,255}$/.test(name) || name === "." || name === "..") {
        stream.resume();
        fail(
          new AppError(
            "VALIDATION",
            `uploaded file name ${JSON.stringify(name)} is not allowed (no paths, no control characters)`,
          ),
        );
        return;
      }
      const target = path.join(dir, `${index++}.part`);
      const hash = createHash("sha256");
      stream.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        total += chunk.length;
        if (total > maxRequestBytes)
          fail(
            new AppError("PAYLOAD_TOO_LARGE", `the upload exceeds the limit of ${maxRequestBytes} bytes per request`),
          );
      });
      stream.on("limit", () =>
        fail(
          new AppError(
            "PAYLOAD_TOO_LARGE",
            `file ${JSON.stringify(name)} exceeds the limit of ${maxFileBytes} bytes per file`,
          ),
        ),
      );
      const written = pipeline(stream, createWriteStream(target)).then(() => hash.digest("hex"));
      if (field === "manifest") {
        result.manifest = { name, path: target };
        writes.push(written.then(() => {}, fail));
        return;
      }
      writes.push(
        written.then((sha256) => {
          const earlier = result.files.get(name);
          if (!earlier) result.files.set(name, { path: target, sha256 });
          else if (earlier.sha256 !== sha256) result.ambiguousNames.add(name);
        }, fail),
      );
    });
    parser.on("filesLimit", () => fail(new AppError("PAYLOAD_TOO_LARGE", `at most ${MAX_FILES} files per upload`)));
    parser.on("error", () => fail(new AppError("VALIDATION", "malformed multipart request")));
    parser.on("close", () => {
      void Promise.all(writes).then(() => {
        if (!failed) resolve(result);
      });
    });
    req.pipe(parser);
  });
}
