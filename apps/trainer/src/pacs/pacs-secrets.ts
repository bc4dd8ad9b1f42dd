import { badInput } from "../errors/trainer-error.ts";

export type PacsSecrets = { credentialSecret: string; deidSecret: string };

/** NEXTAUTH_SECRET opens the PACS credentials the API sealed; DEID_SECRET de-identifies (as file imports do). */
export function pacsSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): PacsSecrets {
  const credentialSecret = env.NEXTAUTH_SECRET;
  const deidSecret = env.DEID_SECRET;
  if (!credentialSecret || !deidSecret)
    throw badInput(
      "a PACS import needs NEXTAUTH_SECRET and DEID_SECRET in the worker's environment (the same as the API's; npm start passes them)",
    );
  return { credentialSecret, deidSecret };
}
