import { HangingProtocol } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { getMyPreferences, updateMyPreferences, type Preferences } from "./preference.service.ts";

export const HangingProtocolEnum = builder.enumType(HangingProtocol, {
  name: "HangingProtocol",
  description: "How the four views hang: ONE_BY_FOUR (RCC LCC RMLO LMLO in a row) or TWO_BY_TWO (CC above MLO)",
});

const PreferencesRef = builder.objectRef<Preferences>("Preferences").implement({
  description: "The viewer's own settings of the web app",
  fields: (t) => ({ hangingProtocol: t.expose("hangingProtocol", { type: HangingProtocolEnum }) }),
});

builder.queryField("myPreferences", (t) =>
  t.field({
    type: PreferencesRef,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => getMyPreferences(ctx.db, requireViewer(ctx)),
  }),
);

const UpdatePreferencesInput = builder.inputType("UpdatePreferencesInput", {
  fields: (t) => ({ hangingProtocol: t.field({ type: HangingProtocolEnum, required: false }) }),
});

builder.mutationField("updateMyPreferences", (t) =>
  t.field({
    type: PreferencesRef,
    authScopes: { authenticated: true },
    description: "Changes the viewer's own settings",
    args: { input: t.arg({ type: UpdatePreferencesInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateMyPreferences(ctx.db, requireViewer(ctx), { hangingProtocol: input.hangingProtocol ?? undefined }),
  }),
);
