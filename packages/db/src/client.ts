import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type CreatePrismaClientOptions = {
  /** Pool size of the pg driver; the API wants more than a one-shot script. */
  maxConnections?: number;
};

/** A Prisma client over node-postgres (driver adapter: Prisma 7 needs no native query engine). */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}) {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}

export type Db = ReturnType<typeof createPrismaClient>;
