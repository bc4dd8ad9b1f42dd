import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
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

type Uploaded = {
  manifest?: { name: string; path: string };
  files: Map<string, { path: string; sha256: string }>;
  /** Names uploaded twice with different content: the rows naming them fail, the others go on. */
  ambiguousNames: Set<string>;
  siteCode?: string;
};

/**
 * POST /imports (multipart/form-data): a bulk import over HTTP, as the signed-in user or an API
 * token's owner. Parts: `site` (the site code), `manifest` (the CSV, see @mammo/imaging's
 * manifest format) and the image files, matched to the manifest's `file` column by their file
 * name (UTF-8). Limits: MAX_UPLOAD_BYTES per file, MAX_UPLOAD_REQUEST_BYTES per request (default
 * 2 GiB). Uploaded names are only looked up, never used as paths, and not stored (they may identify
 * a patient). A name uploaded twice with the same bytes is one file; with different bytes, the rows
 * naming it fail and the other rows import. Answers with the import summary.
 */
export function uploadRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  const maxRequestBytes = Number(process.env.MAX_UPLOAD_REQUEST_BYTES ?? DEFAULT_MAX_REQUEST_BYTES);
  router.post("/imports", async (req, res, next) => {
    let tempDir: string | undefined;
    try {
      const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
      if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
      if (!req.headers["content-type"]?.startsWith("multipart/form-data"))
        throw new AppError("UNSUPPORTED_MEDIA", "send the import as multipart/form-data");
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > maxRequestBytes)
        throw new AppError("PAYLOAD_TOO_LARGE", `request is ${declared} bytes; the limit is ${maxRequestBytes}`);
      const deidSecret = process.env.DEID_SECRET;
      if (!deidSecret) throw new AppError("INTERNAL", "DEID_SECRET is not configured");

      tempDir = await mkdtemp(path.join(os.tmpdir(), "mammo-upload-"));
      const uploaded = await receive(req, tempDir, config.maxUploadBytes, maxRequestBytes);
      if (!uploaded.manifest)
        throw new AppError("VALIDATION", "the upload has no manifest part", { field: "manifest" });
      if (!uploaded.siteCode)
        throw new AppError("VALIDATION", "the upload has no site part (the site code)", { field: "site" });
      const site = await services.db.site.findUnique({ where: { code: uploaded.siteCode } });
      if (!site) throw new AppError("NOT_FOUND", "site not found");

      const summary = await importManifest(
        {
          db: services.db,
          blobs: services.blobs,
          deidSecret,
          limits: { ...DEFAULT_IMAGING_LIMITS, maxFileBytes: config.maxUploadBytes },
        },
        {
          actorUserId: viewer.userId,
          siteId: site.id,
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
      req.resume(); // drain what the client is still sending
      next(toAppError(error));
    } finally {
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    }
  });
  return router;
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
