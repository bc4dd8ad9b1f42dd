// The model-visibility rule is shared with the trainer CLI (@mammo/access).
export { MODEL_VIEW_ROLES, visibleModelVersionsWhere } from "@mammo/access";
