/**
 * Many handshakes, one query. A handshake needs the same few reads for its user (session, user,
 * rooms, unread counts, presence audience and profiles); a burst of handshakes (a reconnect storm,
 * a user opening many tabs) used to pay Prisma's per-query cost once per read per socket. A batch
 * loader collects the keys asked for during BATCH_WINDOW_MS and then loads them all with one
 * query; a key asked for twice in one batch is loaded once.
 *
 * Nothing is cached: a key asked for after its batch was issued goes into the next batch, so every
 * answer comes from a query issued after it was asked for (a revoked session is seen as revoked by
 * every handshake that starts after the revocation committed). Node-only.
 */

/** Loads many keys at once; a key missing from the map has no row (the loader answers `undefined`). */
export type LoadMany<K, V> = (keys: K[]) => Promise<Map<K, V>>;

export type BatchLoader<K, V> = (key: K) => Promise<V | undefined>;

/** Keys per query: well under SQLite's and PostgreSQL's bound-parameter limits. */
const MAX_BATCH = 500;

/**
 * How long a batch collects keys. Handshakes arrive spread over turns of the event loop, so a
 * batch closed at the end of the turn held ~2 keys, and in a busy process each statement ran cold
 * (~10–40 µs against 2–5 µs in a tight loop): a 2 ms window took the server from ~1,800 to ~2,550
 * handshakes per second; on a later day 4 ms gave 2,550–2,600 against 2,400–2,500 for 2 ms and
 * 2,100 for 1 ms (docs/PERFORMANCE.md; an earlier comparison of 2 and 4 ms found no difference).
 * It costs a connect 4 ms per read phase (two) and a presence change or a notification count 4 ms,
 * none of them on a message's path.
 */
export const BATCH_WINDOW_MS = 4;

export function createBatchLoader<K, V>(loadMany: LoadMany<K, V>): BatchLoader<K, V> {
  let pending: Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]> | null = null;

  const run = (batch: Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>) => {
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += MAX_BATCH) {
      const slice = keys.slice(start, start + MAX_BATCH);
      loadMany(slice).then(
        (values) => {
          for (const key of slice) for (const waiter of batch.get(key) ?? []) waiter.resolve(values.get(key));
        },
        (error: unknown) => {
          for (const key of slice) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
        },
      );
    }
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();
        pending = batch;
        setTimeout(() => {
          pending = null;
          run(batch);
        }, BATCH_WINDOW_MS);
      }
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
