import type { Subtype } from "@mammo/db";
import type { McNemarResult, PairedDelongResult } from "@mammo/study-stats";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { SubtypeEnum } from "../../graphql/enums.ts";
import { ReaderStudyRef } from "../studies/study.schema.ts";
import type { ModelVersionOnStudy } from "./study-model-versions.ts";
import { ArmFiguresRef, ClassifierFiguresRef } from "./study-report.schema.ts";
import { getStudyModelVersions } from "./study-report.service.ts";

// "Model versions on this study": a closed study's cases and reads as a fixed benchmark for any
// later model version; the study's own figures stay as they were.

const VersionsMcNemarRef = builder.objectRef<McNemarResult>("ModelVersionsMcNemar").implement({
  description: "Exact McNemar test of this version's vs the study's model's correctness on the same cases",
  fields: (t) => ({
    onlyThisCorrect: t.int({ resolve: (m) => m.onlyFirstCorrect }),
    onlyStudyModelCorrect: t.int({ resolve: (m) => m.onlySecondCorrect }),
    bothCorrect: t.exposeInt("bothCorrect"),
    bothWrong: t.exposeInt("bothWrong"),
    pValue: t.exposeFloat("pValue"),
  }),
});

const VersionsDelongRef = builder
  .objectRef<{ className: string; test: PairedDelongResult | null }>("ModelVersionsDelong")
  .implement({
    description: "Paired DeLong test of this version's vs the study's model's AUC for one subtype (same cases)",
    fields: (t) => ({
      subtype: t.field({ type: SubtypeEnum, resolve: (d) => d.className as Subtype }),
      auc: t.float({ nullable: true, resolve: (d) => d.test?.aucFirst ?? null }),
      studyModelAuc: t.float({ nullable: true, resolve: (d) => d.test?.aucSecond ?? null }),
      difference: t.float({ nullable: true, resolve: (d) => d.test?.difference ?? null }),
      pValue: t.float({ nullable: true, resolve: (d) => d.test?.pValue ?? null }),
    }),
  });

type Versus = NonNullable<ModelVersionOnStudy["versusStudyModel"]>;
const VersusStudyModelRef = builder.objectRef<Versus>("VersusStudyModel").implement({
  fields: (t) => ({
    cases: t.exposeInt("cases", { description: "Cases both versions answered" }),
    mcnemar: t.field({ type: VersionsMcNemarRef, nullable: true, resolve: (v) => v.mcnemar }),
    delong: t.field({ type: [VersionsDelongRef], nullable: true, resolve: (v) => v.delong }),
  }),
});

export const ModelVersionOnStudyRef = builder.objectRef<ModelVersionOnStudy>("ModelVersionOnStudy").implement({
  description:
    "One model version scored on a closed study's cases and reads: its accuracy and per-class figures, AI vs each reader (McNemar, DeLong, kappa) and the A/B/C/D regions with it as the AI, and the paired tests against the study's own model",
  fields: (t) => ({
    modelVersionId: t.string({ resolve: (m) => encodeGlobalID("ModelVersion", m.modelVersionId) }),
    name: t.exposeString("name"),
    version: t.exposeInt("version"),
    isStudyModel: t.exposeBoolean("isStudyModel", { description: "The model the study was read with" }),
    cases: t.exposeInt("cases", { description: "Cases with a truth and this version's answer" }),
    ai: t.field({ type: ClassifierFiguresRef, nullable: true, resolve: (m) => m.statistics?.ai ?? null }),
    phases: t.field({ type: [ArmFiguresRef], resolve: (m) => m.statistics?.arms ?? [] }),
    versusStudyModel: t.field({ type: VersusStudyModelRef, nullable: true, resolve: (m) => m.versusStudyModel }),
    notes: t.exposeStringList("notes"),
  }),
});

builder.queryField("studyModelVersions", (t) =>
  t.field({
    type: [ModelVersionOnStudyRef],
    authScopes: { authenticated: true },
    description:
      "Model versions on a CLOSED study: its own model and every later version scored on its cases (an inference run with target STUDY), for its site's coordinators and ML engineers",
    args: { studyId: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => getStudyModelVersions(ctx.db, requireViewer(ctx), args.studyId.id),
  }),
);
