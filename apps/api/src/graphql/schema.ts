// Assembles the schema: importing a module's *.schema.ts registers its types and fields.
import { builder } from "./builder.ts";
import "./scalars.ts";
import "../modules/sites/site.schema.ts";
import "../modules/viewer/viewer.schema.ts";
import "../modules/pathology/finding.schema.ts";
import "../modules/pathology/pathology-label.schema.ts";
import "../modules/cases/case.schema.ts";

export const schema = builder.toSchema({ sortSchema: true });
import "../modules/studies/study.schema.ts";
import "../modules/reading/reading.schema.ts";
import "../modules/users/user.schema.ts";
import "../modules/memberships/membership.schema.ts";
import "../modules/api-tokens/api-token.schema.ts";
import "../modules/models/model-version.schema.ts";
import "../modules/training/training-run.schema.ts";
import "../modules/inference/inference.schema.ts";
import "../modules/evaluations/evaluation.schema.ts";
import "../modules/datasets/dataset.schema.ts";
import "../modules/audit/audit.schema.ts";
import "../modules/annotations/annotation.schema.ts";
import "../modules/reports/study-report.schema.ts";
import "../modules/inference/concordance-summary.schema.ts";
import "../modules/pacs/pacs.schema.ts";
