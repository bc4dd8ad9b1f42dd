import { Router } from "express";
import { authenticate } from "../auth/authenticate.ts";
import type { ApiConfig } from "../config.ts";
import { AppError } from "../errors/app-error.ts";
import type { Services } from "../graphql/context.ts";
import { renderPacsObject } from "../modules/pacs/pacs-object.service.ts";

/** Objects on a site's PACS (heatmaps and images sent there) as PNG, for the viewer. */
export function pacsRoutes(services: Services, config: ApiConfig): Router {
  const router = Router();
  router.get(
    "/pacs/:connectionId/studies/:study/series/:series/instances/:instance/rendered.png",
    async (req, res, next) => {
      try {
        const viewer = await authenticate(services.db, req.headers.authorization, config.sessionSecret);
        if (!viewer) throw new AppError("UNAUTHENTICATED", "sign in first");
        const png = await renderPacsObject(services.db, config.sessionSecret, viewer, {
          connectionId: connectionIdOf(req.params.connectionId),
          studyInstanceUid: req.params.study,
          seriesInstanceUid: req.params.series,
          sopInstanceUid: req.params.instance,
        });
        res.setHeader("content-type", "image/png");
        res.setHeader("cache-control", "private, no-store");
        res.send(png);
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

// The GraphQL id of a PacsConnection (what the web app has), or its raw id.
function connectionIdOf(param: string): string {
  const decoded = /^PacsConnection:(.+)$/.exec(Buffer.from(param, "base64").toString("utf8"));
  return decoded?.[1] ?? param;
}
