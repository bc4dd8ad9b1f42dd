import type { Case, Image } from "@mammo/db";
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import {
  ImageStatusEnum,
  LateralityEnum,
  PhotometricEnum,
  SourceFormatEnum,
  ViewPositionEnum,
} from "../../graphql/enums.ts";
import { AppError } from "../../errors/app-error.ts";
import { loadLabelsByCaseIds } from "../pathology/pathology-label.service.ts";
import { PathologyLabelRef } from "../pathology/pathology-label.schema.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { getCase, listCases, loadImagesByCaseIds, visibleCasesWhere, type CaseCursor } from "./case.service.ts";

type CaseShape = Case & { patient: { pseudonym: string } };

export const ImageRef = builder.objectRef<Image>("Image");
builder.node(ImageRef, {
  id: { resolve: (image) => image.id },
  loadMany: async (ids, ctx) => {
    if (!ctx.viewer) return ids.map(() => null);
    const images = await ctx.db.image.findMany({ where: { id: { in: [...ids] }, case: visibleCasesWhere(ctx.viewer) } });
    return ids.map((id) => images.find((i) => i.id === id) ?? null);
  },
  fields: (t) => ({
    laterality: t.expose("laterality", { type: LateralityEnum }),
    view: t.expose("view", { type: ViewPositionEnum }),
    viewCode: t.exposeString("viewCode", { nullable: true }),
    widthPx: t.exposeInt("widthPx"),
    heightPx: t.exposeInt("heightPx"),
    bitsStored: t.exposeInt("bitsStored"),
    photometric: t.expose("photometric", { type: PhotometricEnum }),
    sourceFormat: t.expose("sourceFormat", { type: SourceFormatEnum }),
    status: t.expose("status", { type: ImageStatusEnum }),
    displayUrl: t.string({
      description: "Path (on the API server) of the 8-bit display rendering; send the same credentials",
      resolve: (image) => `/images/${image.id}/display.png`,
    }),
  }),
});

export const CaseRef = builder.objectRef<CaseShape>("Case");
builder.node(CaseRef, {
  id: { resolve: (c) => c.id },
  loadMany: async (ids, ctx) => {
    if (!ctx.viewer) return ids.map(() => null);
    const cases = await ctx.db.case.findMany({
      where: { AND: [{ id: { in: [...ids] } }, visibleCasesWhere(ctx.viewer)] },
      include: { patient: { select: { pseudonym: true } } },
    });
    return ids.map((id) => cases.find((c) => c.id === id) ?? null);
  },
  fields: (t) => ({
    accessionKey: t.exposeString("accessionKey"),
    patientPseudonym: t.string({ resolve: (c) => c.patient.pseudonym }),
    examDate: t.expose("examDate", { type: "Date", nullable: true }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (c) => c.siteId,
    }),
    images: t.loadableList({
      type: ImageRef,
      load: (ids: string[], ctx) => loadImagesByCaseIds(ctx.db, ids),
      resolve: (c) => c.id,
    }),
    pathologyLabels: t.loadableList({
      type: PathologyLabelRef,
      description: "Every label of the case, newest first (corrections and retracted ones included)",
      load: (ids: string[], ctx) => loadLabelsByCaseIds(ctx.db, ids),
      resolve: (c) => c.id,
    }),
  }),
});

const encodeCursor = (c: CaseCursor) => Buffer.from(JSON.stringify([c.accessionKey, c.id])).toString("base64url");
function decodeCursor(cursor: string): CaseCursor {
  try {
    const [accessionKey, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof accessionKey !== "string" || typeof id !== "string") throw new Error();
    return { accessionKey, id };
  } catch {
    throw new AppError("VALIDATION", "cursor: not a cursor this API issued", { field: "cursor" });
  }
}

builder.queryField("cases", (t) =>
  t.connection({
    type: CaseRef,
    authScopes: { authenticated: true },
    description: "Cases of the viewer's sites, by accession key",
    args: { siteId: t.arg.globalID({ required: false, for: SiteRef }) },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (c: CaseShape) => encodeCursor(c), defaultSize: 20, maxSize: 100 },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listCases(ctx.db, requireViewer(ctx), {
            siteId: args.siteId?.id,
            limit,
            inverted,
            after: after ? decodeCursor(after) : undefined,
            before: before ? decodeCursor(before) : undefined,
          }),
      ),
  }),
);

builder.queryField("case", (t) =>
  t.field({
    type: CaseRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: CaseRef }) },
    resolve: (_root, args, ctx) => getCase(ctx.db, requireViewer(ctx), args.id.id),
  }),
);
