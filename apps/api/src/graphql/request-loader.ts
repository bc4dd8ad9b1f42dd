import type { ApolloServerPlugin } from "@apollo/server";
import DataLoader from "dataloader";

const loadersByRequest = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * A DataLoader that lives as long as one request (keyed by its context object), shared by every
 * field that asks for the same `name`: the labels behind `Case.pathologyLabels` and
 * `Case.labelStatus` are fetched once, in one query for all cases of the page.
 */
export function requestLoader<K, V>(
  ctx: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly V[]>,
): DataLoader<K, V> {
  let loaders = loadersByRequest.get(ctx);
  if (!loaders) loadersByRequest.set(ctx, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(async (keys) => [...(await batch(keys))], { maxBatchSize: 1000 });
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/**
 * Mutations run one after another in a request, each answer after its own write: each root
 * mutation field starts with empty loaders, so rows loaded for one answer never stand in for
 * the next (two label changes in one request: the second answer shows the second's truth).
 */
export function freshLoadersPerMutationPlugin(): ApolloServerPlugin<object> {
  return {
    requestDidStart: async () => ({
      executionDidStart: async ({ operation, contextValue }) => {
        if (operation.operation !== "mutation") return;
        return {
          willResolveField: ({ info }) => {
            if (info.path.prev === undefined) loadersByRequest.delete(contextValue);
          },
        };
      },
    }),
  };
}
