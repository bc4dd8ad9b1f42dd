import type { AuditEvent } from "@mammo/db";
import {
  decodeGlobalID,
  encodeGlobalID,
  resolveCursorConnection,
  type ResolveCursorConnectionArgs,
} from "@pothos/plugin-relay";
import { AppError } from "../../errors/app-error.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { UserSummaryRef } from "../users/user.schema.ts";
import { listAuditEvents, loadActorSummaries } from "./audit.service.ts";

const AuditEventRef = builder.objectRef<AuditEvent>("AuditEvent").implement({
  description: "One recorded change: who, what, and the entity before and after (append-only)",
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id.toString() }),
    at: t.expose("at", { type: "DateTime" }),
    actor: t.field({
      type: UserSummaryRef,
      nullable: true,
      description: "null for the system (seed, workers)",
      resolve: (e, _args, ctx) =>
        e.actorId
          ? requestLoader(ctx, "auditActors", (ids: readonly string[]) => loadActorSummaries(ctx.db, ids)).load(
              e.actorId,
            )
          : null,
    }),
    action: t.exposeString("action"),
    entityType: t.exposeString("entityType"),
    entityId: t.id({
      description: "The global id of the entity",
      resolve: (e) => encodeGlobalID(e.entityType, e.entityId),
    }),
    before: t.expose("before", { type: "JSON", nullable: true }),
    after: t.expose("after", { type: "JSON", nullable: true }),
    requestId: t.exposeString("requestId", { nullable: true }),
  }),
});

function entityFilter(entityId: string | null | undefined) {
  if (!entityId) return {};
  try {
    const { typename, id } = decodeGlobalID(entityId);
    return { entityType: typename, entityId: id };
  } catch {
    throw new AppError("VALIDATION", "entityId: not an id this API issued", { field: "entityId" });
  }
}

builder.queryField("auditEvents", (t) =>
  t.connection({
    type: AuditEventRef,
    authScopes: { authenticated: true },
    description: "A site's audit log, newest first (its admins)",
    args: {
      siteId: t.arg.globalID({ required: true, for: SiteRef }),
      entityId: t.arg.id({ required: false, description: "Only the changes of this entity (any global id)" }),
      action: t.arg.string({ required: false, description: 'e.g. "pathologyLabel.create"' }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (e: AuditEvent) => e.id.toString(), defaultSize: 20, maxSize: 100 },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listAuditEvents(ctx.db, requireViewer(ctx), {
            siteId: args.siteId.id,
            ...entityFilter(args.entityId ? String(args.entityId) : undefined),
            action: args.action ?? undefined,
            limit,
            inverted,
            after: after ?? undefined,
            before: before ?? undefined,
          }),
      ),
  }),
);
