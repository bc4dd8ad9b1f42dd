import type { Prisma, Role } from "@mammo/db";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";

// ML engineers train and publish models; coordinators pick the model a reader study compares.
export const MODEL_VIEW_ROLES: Role[] = ["ML_ENGINEER", "COORDINATOR"];

/** Model versions the viewer may see: those of sites where they are ML_ENGINEER or COORDINATOR. */
export function visibleModelVersionsWhere(viewer: Viewer): Prisma.ModelVersionWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, ...MODEL_VIEW_ROLES) } };
}
