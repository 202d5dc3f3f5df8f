/**
 * Ids of the messages stored in batches (message-append-writer.ts on SQLite, -postgres.ts), in the
 * shape of Prisma's cuid ids (a letter, then 24 lowercase alphanumerics): the time in
 * milliseconds, a counter, then 44 random bits. Within one process (one thread) they increase in
 * the order they are made, so messages stored in the same millisecond (one batch, or batches back
 * to back) keep their order wherever a list breaks ties of `createdAt` by id (search is newest
 * first by `createdAt`, then id). A clock that steps back does not reorder them: the last time is
 * kept.
 *
 * Self-contained (no imports, no outer names): the send worker runs its source text
 * (message-append-worker.ts).
 */
export function createMessageIdGenerator(randomBytes: (size: number) => Buffer): () => string {
  // Random bytes drawn from a pool: one `randomBytes` call per message was 3 % of the send path's CPU.
  let entropy: Buffer = Buffer.alloc(0);
  let entropyOffset = 0;
  const randomHex = (bytes: number): string => {
    if (entropyOffset + bytes > entropy.length) {
      entropy = randomBytes(4096);
      entropyOffset = 0;
    }
    entropyOffset += bytes;
    return entropy.toString("hex", entropyOffset - bytes, entropyOffset);
  };
  let lastMs = 0;
  let counter = 0;
  return () => {
    const now = Date.now();
    if (now > lastMs) {
      lastMs = now;
      counter = 0;
    } else counter += 1;
    return `c${lastMs.toString(36).padStart(9, "0")}${counter.toString(36).padStart(4, "0")}${randomHex(6).slice(0, 11)}`;
  };
}
