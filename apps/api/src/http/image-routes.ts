import { Router } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import { getVisibleImage } from "../modules/cases/case.service.ts";

/** Image bytes over plain HTTP (browsers load them in <img>/canvas), with the API's own auth. */
export function imageRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  router.get("/images/:imageId/display.png", async (req, res, next) => {
    try {
      const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
      if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
      const image = await getVisibleImage(services.db, viewer, req.params.imageId);
      const bytes = await services.blobs.get(image.storageKey);
      res.setHeader("content-type", "image/png");
      res.setHeader("cache-control", "private, max-age=3600");
      res.send(bytes);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
