import type { Prisma, Role } from "@mammo/db";
import { siteIdsWithRole, type Actor } from "./actor.ts";

// Reading a case shows its pathology truth, so the READER role alone does not grant it: readers
// see cases only through the studies they are assigned to, blinded.
export const CASE_VIEW_ROLES: Role[] = ["ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER"];

// ML engineers train and publish models; coordinators pick the model a reader study compares.
export const MODEL_VIEW_ROLES: Role[] = ["ML_ENGINEER", "COORDINATOR"];

/**
 * Blinding: the cases of every OPEN study the actor is an assigned reader of. Holding another
 * role at the case's site (coordinator, annotator, ...) does not lift it: while the study is
 * open, such a user sees those cases only as that study's reader, by their study codes.
 */
export function blindedCasesWhere(actor: Actor): Prisma.CaseWhereInput {
  return { studyCases: { some: { study: { status: "OPEN", readers: { some: { userId: actor.userId } } } } } };
}

/**
 * The rows of Case this actor may see in the case browser: the where clause every case query
 * (and every query of a case's labels, images and annotations) starts from. Cases of the sites
 * where the actor holds a non-reader role, minus the cases the actor is blinded to.
 */
export function visibleCasesWhere(actor: Actor): Prisma.CaseWhereInput {
  return { siteId: { in: siteIdsWithRole(actor, ...CASE_VIEW_ROLES) }, NOT: blindedCasesWhere(actor) };
}

/** Model versions the actor may see: those of sites where they are ML_ENGINEER or COORDINATOR. */
export function visibleModelVersionsWhere(actor: Actor): Prisma.ModelVersionWhereInput {
  return { siteId: { in: siteIdsWithRole(actor, ...MODEL_VIEW_ROLES) } };
}
