import { Router } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import { getVisibleSaliencyMap } from "../modules/inference/inference.service.ts";

/**
 * Grad-CAM heatmaps (8-bit PNG) over plain HTTP for <img>/canvas overlays, with the API's own
 * auth and the blinding rules of getVisibleSaliencyMap: an AIDED reader gets a case's heatmap
 * only after submitting their own unaided read of it.
 */
export function saliencyRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  router.get("/saliency-maps/:saliencyMapId/heatmap.png", async (req, res, next) => {
    try {
      const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
      if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
      const map = await getVisibleSaliencyMap(services.db, viewer, req.params.saliencyMapId);
      const bytes = await services.blobs.get(map.storageKey);
      res.setHeader("content-type", "image/png");
      // private: the answer depends on who asks (and, for readers, on when).
      res.setHeader("cache-control", "private, no-store");
      res.send(bytes);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
