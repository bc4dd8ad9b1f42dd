/** Hanging protocols a user can choose (saved per user): how the four views of a case hang. */
export type HangingProtocol = "ONE_BY_FOUR" | "TWO_BY_TWO";

export const HANGING_LABEL: Record<HangingProtocol, string> = { ONE_BY_FOUR: "1×4", TWO_BY_TWO: "2×2" };

/** Slots in reading order. 1x4: RCC LCC RMLO LMLO in a row; 2x2: CC above MLO. Chest walls face each other. */
export const HANGING_SLOTS = ["RCC", "LCC", "RMLO", "LMLO"] as const;

export const PREFERENCES_FIELDS = /* GraphQL */ `myPreferences { hangingProtocol }`;
