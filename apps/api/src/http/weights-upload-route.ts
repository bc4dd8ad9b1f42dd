import busboy from "busboy";
import { Router, type Request } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import {
  registerUploadedWeights,
  siteForWeightsUpload,
} from "../modules/pretrained-weights/pretrained-weights.service.ts";

const DEFAULT_MAX_WEIGHTS_BYTES = 1024 ** 3; // VGG16's notop file is 59 MB, with its top 553 MB

type Received = { bytes: Uint8Array | null; fileName: string; fields: Record<string, string> };

/**
 * POST /pretrained-weights?site=CODE (multipart/form-data): registers a weights file at a site,
 * as the signed-in user or an API token's owner, who must be ML_ENGINEER there. Who may upload is
 * decided from the headers and the query before the body is read. Parts: `file` (a Keras .h5),
 * `source`, `licence`, optional `name`. Answers with the registration (id, digest, layers).
 */
export function weightsUploadRoute(services: Services, config: ApiConfig): Router {
  const router = Router();
  const maxBytes = Number(process.env.MAX_WEIGHTS_UPLOAD_BYTES ?? DEFAULT_MAX_WEIGHTS_BYTES);
  router.post("/pretrained-weights", async (req, res, next) => {
    try {
      const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
      if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
      const site = await siteForWeightsUpload(
        services.db,
        viewer,
        typeof req.query.site === "string" ? req.query.site : "",
      );
      if (!req.headers["content-type"]?.startsWith("multipart/form-data"))
        throw new AppError("UNSUPPORTED_MEDIA", "send the weights file as multipart/form-data");
      if (Number(req.headers["content-length"] ?? 0) > maxBytes + 64 * 1024)
        throw new AppError("PAYLOAD_TOO_LARGE", `the weights file may be at most ${maxBytes} bytes`);
      const received = await receive(req, maxBytes);
      if (!received.bytes) throw new AppError("VALIDATION", "the upload has no file part", { field: "file" });
      const row = await registerUploadedWeights(
        services.db,
        services.blobs,
        viewer,
        site,
        {
          bytes: received.bytes,
          fileName: received.fileName,
          name: received.fields.name || undefined,
          source: received.fields.source ?? "",
          licence: received.fields.licence ?? "",
        },
        req.requestId,
      );
      res.status(201).json({ ...row, sizeBytes: Number(row.sizeBytes) });
    } catch (error) {
      req.resume(); // drain what the client is still sending
      next(error);
    }
  });
  return router;
}

/** One file part (kept in memory, at most maxBytes) and a few short text fields. */
function receive(req: Request, maxBytes: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const result: Received = { bytes: null, fileName: "", fields: {} };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 2000 } });
    } catch {
      reject(new AppError("VALIDATION", "malformed multipart request"));
      return;
    }
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      reject(error);
    };
    parser.on("field", (name, value) => {
      if (["name", "source", "licence"].includes(name)) result.fields[name] = value;
    });
    parser.on("file", (_field, stream, info) => {
      const chunks: Buffer[] = [];
      result.fileName = info.filename ?? "";
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () =>
        fail(new AppError("PAYLOAD_TOO_LARGE", `the weights file may be at most ${maxBytes} bytes`)),
      );
      stream.on("end", () => {
        const all = Buffer.concat(chunks);
        result.bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
      });
    });
    parser.on("filesLimit", () =>
      fail(new AppError("VALIDATION", "upload one weights file at a time", { field: "file" })),
    );
    parser.on("error", () => fail(new AppError("VALIDATION", "malformed multipart request")));
    parser.on("close", () => {
      if (!failed) resolve(result);
    });
    req.pipe(parser);
  });
}
