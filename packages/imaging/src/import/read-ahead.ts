/**
 * Runs `prepare` on up to `readAhead` items at once and `commit` on their results one at a time,
 * in input order: decoding overlaps while writes stay sequential and deterministic.
 */
export async function inOrderWithReadAhead<T, P>(
  items: T[],
  readAhead: number,
  prepare: (item: T) => Promise<P>,
  commit: (prepared: P) => Promise<void>,
): Promise<void> {
  const pending = new Map<number, Promise<P>>();
  let next = 0;
  for (let i = 0; i < items.length; i++) {
    while (next < items.length && next < i + readAhead) {
      const started = prepare(items[next]!);
      started.catch(() => {}); // awaited in order below; an early rejection must not go unhandled
      pending.set(next++, started);
    }
    const prepared = await pending.get(i)!;
    pending.delete(i);
    await commit(prepared);
  }
}
