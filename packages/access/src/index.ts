// Access rules shared by the API and the command-line tools (trainer CLI, import CLI): who may
// see which rows (where clauses) and who may ask for what. No app imports another app, so the
// rules that both the API and a CLI apply live here, written once.
export { AccessError, type AccessErrorCode } from "./access-error.ts";
export { hasRole, loadActorByEmail, siteIdsWithRole, type Actor, type SiteRole } from "./actor.ts";
export {
  blindedCasesWhere,
  CASE_VIEW_ROLES,
  MODEL_VIEW_ROLES,
  visibleCasesWhere,
  visibleModelVersionsWhere,
} from "./visibility.ts";
export {
  authorizeEvaluationRequest,
  authorizeInferenceRequest,
  authorizeTrainingRequest,
  visibleModelVersion,
  type InferenceRequest,
} from "./job-access.ts";
export { authorizeImport, IMPORT_ROLES } from "./import-access.ts";
