import { HangingProtocol, type Db } from "@mammo/db";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { parseInput } from "../../errors/parse-input.ts";

/** The viewer's own settings of the web app; defaults until they change one. */
export type Preferences = { hangingProtocol: HangingProtocol };
const DEFAULTS: Preferences = { hangingProtocol: "ONE_BY_FOUR" };

export async function getMyPreferences(db: Db, viewer: Viewer): Promise<Preferences> {
  const row = await db.userPreference.findUnique({ where: { userId: viewer.userId } });
  return row ? { hangingProtocol: row.hangingProtocol } : DEFAULTS;
}

const updateInput = z.object({ hangingProtocol: z.enum(HangingProtocol).optional() });

/** Changes the viewer's own settings (nobody else's: the row is keyed by the viewer). */
export async function updateMyPreferences(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateInput>,
): Promise<Preferences> {
  const args = parseInput(updateInput, input);
  const row = await db.userPreference.upsert({
    where: { userId: viewer.userId },
    create: { userId: viewer.userId, ...args },
    update: args,
  });
  return { hangingProtocol: row.hangingProtocol };
}
