import {
  createDerivedImages,
  fullDepthKey,
  gzipLevel,
  SCREEN_LEVELS,
  sharedIngestPool,
  THUMBNAIL_SIZES_PX,
  type EncodedLevel,
  type ThumbnailSizePx,
} from "@mammo/imaging";
import { MAX_LEVEL } from "@mammo/wire-formats";
import { Router, type Response } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import { getVisibleImage } from "../modules/cases/case.service.ts";
import { recordImageDelivery } from "../modules/reading/image-delivery.service.ts";
import { toAppError } from "./imaging-errors.ts";

/**
 * Image bytes over plain HTTP (browsers load them in <img>/canvas), with the API's own auth:
 * derived 8-bit PNGs (display window applied) and full-depth pixels, built from the stored
 * original on first request and cached in the blob store under derived/ keys. Serving an image to
 * a reader of an open study holding its case records the delivery (reading/image-delivery.service).
 */
export function imageRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  const derived = createDerivedImages(services.blobs);

  async function visibleImage(authorization: string | undefined, imageId: string) {
    const viewer = await authenticate(services.db, authorization, config.sessionSecret);
    if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
    return { viewer, image: await getVisibleImage(services.db, viewer, imageId) };
  }

  router.get("/images/:imageId/display.png", async (req, res, next) => {
    try {
      const { viewer, image } = await visibleImage(req.headers.authorization, req.params.imageId);
      const png = await derived.displayPng(image);
      await recordImageDelivery(services.db, viewer, image.id);
      sendPng(res, png, image.isStudyOnly);
    } catch (error) {
      next(toAppError(error));
    }
  });

  router.get("/images/:imageId/thumbnail.png", async (req, res, next) => {
    try {
      const size = Number(req.query.size ?? 256);
      if (!THUMBNAIL_SIZES_PX.includes(size as ThumbnailSizePx))
        throw new AppError("VALIDATION", `size must be one of ${THUMBNAIL_SIZES_PX.join(", ")}`, { field: "size" });
      const { image } = await visibleImage(req.headers.authorization, req.params.imageId);
      sendPng(res, await derived.thumbnailPng(image, size as ThumbnailSizePx), image.isStudyOnly);
    } catch (error) {
      next(toAppError(error));
    }
  });

  // The stored pixels at full bit depth (gzip, layout in @mammo/wire-formats) at a resolution
  // level (?level=k, 0 = full), for window/level in the browser; cached beside the other derived
  // images. The import derives the screen levels (ingest-file.ts, IngestOptions); a missing one
  // is made here with the others from one decode in the ingest pool's threads (off the event
  // loop) and sent as soon as it is compressed, the others compressed and stored after it.
  // Concurrent first requests decode a file once.
  const computing = new Map<string, Promise<Map<number, Promise<EncodedLevel>>>>();
  async function fullDepthFile(image: { contentSha256: string; storageKey: string }, level: number) {
    const key = fullDepthKey(image.contentSha256, level);
    if (await services.blobs.has(key)) return services.blobs.get(key);
    const batch = `${image.contentSha256}/${level === 0 ? "full" : "screen"}`;
    let pending = computing.get(batch);
    if (!pending) {
      pending = (async () => {
        const framed = await sharedIngestPool().deriveLevels(
          await services.blobs.get(image.storageKey),
          level === 0 ? [0] : SCREEN_LEVELS,
        );
        // The requested level is compressed first; the others after it, not competing for the cores.
        const wanted = gzipLevel(framed.find((f) => f.level === level)!);
        const after = wanted.catch(() => undefined);
        const encoded = new Map(
          framed.map((f) => [f.level, f.level === level ? wanted : after.then(() => gzipLevel(f))]),
        );
        const stored = [...encoded.values()].map(async (e) => {
          const { level: l, bytes } = await e;
          await services.blobs.putAt(fullDepthKey(image.contentSha256, l), bytes);
        });
        void Promise.allSettled(stored).then((results) => {
          computing.delete(batch);
          // A cache only: a level that could not be stored is made again on its next request.
          for (const r of results)
            if (r.status === "rejected") console.error("[api] derived pixels not stored", r.reason);
        });
        return encoded;
      })();
      pending.catch(() => computing.delete(batch));
      computing.set(batch, pending);
    }
    return (await (await pending).get(level)!).bytes;
  }

  router.get("/images/:imageId/pixels.bin", async (req, res, next) => {
    try {
      const level = Number(req.query.level ?? 0);
      if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL)
        throw new AppError("VALIDATION", `level must be an integer from 0 to ${MAX_LEVEL}`, { field: "level" });
      const { viewer, image } = await visibleImage(req.headers.authorization, req.params.imageId);
      const bytes = await fullDepthFile(image, level);
      await recordImageDelivery(services.db, viewer, image.id);
      res.setHeader("content-type", "application/gzip");
      res.setHeader("cache-control", cacheControl(image.isStudyOnly));
      res.send(bytes);
    } catch (error) {
      next(toAppError(error));
    }
  });
  return router;
}

/**
 * Images a viewer sees only through a reader study (reading material, blinded) are never kept by
 * the browser: not after sign-out, not on a shared reading workstation. The others may be kept
 * for an hour by this user's browser only. The web app's file proxy passes the header through.
 */
const cacheControl = (isStudyOnly: boolean) => (isStudyOnly ? "private, no-store" : "private, max-age=3600");

function sendPng(res: Response, bytes: Buffer, isStudyOnly: boolean) {
  res.setHeader("content-type", "image/png");
  res.setHeader("cache-control", cacheControl(isStudyOnly));
  res.send(bytes);
}
