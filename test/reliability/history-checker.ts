/**
 * The history checker of the reliability suites (in the spirit of Jepsen histories and Matrix's
 * txn-id tests): given every acknowledged send, every live receive, what each client ended up
 * holding and what the database stored, it counts what went wrong. Pure; the suites feed it.
 *
 * - lost: an acknowledged send whose row is not in the database, or a stored message missing from
 *   a client's final view;
 * - duplicated: two rows for one (author, clientMessageId), an ack naming another row than the one
 *   stored, or a client holding two messages for one clientMessageId;
 * - gaps: holes in a conversation's seq (1, 2, 4);
 * - reordered: two sends of one client into one conversation stored in the other order;
 * - divergent: clients whose final view of a conversation is not exactly the database's.
 * `liveOutOfOrder` (a receive with a lower seq than one received before, live) is a figure, not a
 * fault: the store sorts by seq; it shows how much reordering the clients had to absorb.
 */
export type SentEntry = { client: string; authorId: string; conversationId: string; clientMessageId: string; sentAt: number; id: string; seq: number };
export type ReceivedEntry = { conversationId: string; id: string; seq: number };
export type StoredRow = { id: string; conversationId: string; seq: number; authorId: string; clientMessageId: string };
export type FinalView = { client: string; conversationIds: readonly string[]; messages: readonly { id: string; conversationId: string; clientMessageId: string; authorId: string }[] };

export type HistoryReport = {
  sends: number;
  stored: number;
  lost: number;
  duplicated: number;
  gaps: number;
  reordered: number;
  divergent: string[];
  liveOutOfOrder: number;
  /** Human-readable findings, at most 20. */
  findings: string[];
};

export function checkHistory(input: {
  sent: readonly SentEntry[];
  received: ReadonlyMap<string, readonly ReceivedEntry[]>;
  stored: readonly StoredRow[];
  views: readonly FinalView[];
  /** Every seq of each conversation, system lines included, for the gap check (default: the stored rows'). */
  seqs?: ReadonlyMap<string, readonly number[]>;
}): HistoryReport {
  const findings: string[] = [];
  const note = (finding: string) => {
    if (findings.length < 20) findings.push(finding);
  };
  const byKey = new Map<string, StoredRow[]>();
  for (const row of input.stored) {
    const key = `${row.authorId}|${row.clientMessageId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }

  let lost = 0;
  let duplicated = 0;
  for (const [key, rows] of byKey) {
    if (rows.length > 1) {
      duplicated += rows.length - 1;
      note(`${rows.length} rows for ${key}`);
    }
  }
  for (const send of input.sent) {
    const rows = byKey.get(`${send.authorId}|${send.clientMessageId}`) ?? [];
    if (rows.length === 0) {
      lost += 1;
      note(`acknowledged but not stored: ${send.client} ${send.clientMessageId}`);
    } else if (!rows.some((row) => row.id === send.id)) {
      duplicated += 1;
      note(`ack for ${send.clientMessageId} names ${send.id}, stored as ${rows.map((row) => row.id).join(",")}`);
    }
  }

  let gaps = 0;
  const seqsByConversation = new Map<string, readonly number[]>(input.seqs ?? []);
  if (!input.seqs) for (const row of input.stored) seqsByConversation.set(row.conversationId, [...(seqsByConversation.get(row.conversationId) ?? []), row.seq]);
  for (const [conversationId, seqs] of seqsByConversation) {
    const sorted = [...seqs].sort((a, b) => a - b);
    sorted.forEach((seq, index) => {
      if (seq !== index + 1) {
        gaps += 1;
        if (gaps === 1) note(`seq gap in ${conversationId} at position ${index + 1} (found ${seq})`);
      }
    });
  }

  let reordered = 0;
  const bySender = new Map<string, SentEntry[]>();
  for (const send of input.sent) bySender.set(`${send.client}|${send.conversationId}`, [...(bySender.get(`${send.client}|${send.conversationId}`) ?? []), send]);
  for (const [key, sends] of bySender) {
    const inOrder = [...sends].sort((a, b) => a.sentAt - b.sentAt);
    for (let index = 1; index < inOrder.length; index += 1) {
      if ((inOrder[index] as SentEntry).seq < (inOrder[index - 1] as SentEntry).seq) {
        reordered += 1;
        note(`${key}: sent later, stored earlier (seq ${(inOrder[index] as SentEntry).seq} after ${(inOrder[index - 1] as SentEntry).seq})`);
      }
    }
  }

  const divergent: string[] = [];
  for (const view of input.views) {
    let differs = false;
    for (const conversationId of view.conversationIds) {
      const expected = new Set(input.stored.filter((row) => row.conversationId === conversationId).map((row) => row.id));
      const held = view.messages.filter((message) => message.conversationId === conversationId);
      const heldIds = new Set(held.map((message) => message.id));
      const missing = [...expected].filter((id) => !heldIds.has(id)).length;
      const extra = [...heldIds].filter((id) => !expected.has(id)).length;
      const perKey = new Set(held.map((message) => `${message.authorId}|${message.clientMessageId}`));
      if (missing > 0) {
        lost += missing;
        note(`${view.client} misses ${missing} of ${expected.size} in ${conversationId}`);
      }
      if (perKey.size < held.length) {
        duplicated += held.length - perKey.size;
        note(`${view.client} holds ${held.length - perKey.size} duplicate(s) in ${conversationId}`);
      }
      if (missing > 0 || extra > 0) differs = true;
    }
    if (differs) divergent.push(view.client);
  }

  let liveOutOfOrder = 0;
  for (const entries of input.received.values()) {
    const highest = new Map<string, number>();
    for (const entry of entries) {
      if (entry.seq < (highest.get(entry.conversationId) ?? 0)) liveOutOfOrder += 1;
      highest.set(entry.conversationId, Math.max(highest.get(entry.conversationId) ?? 0, entry.seq));
    }
  }

  return { sends: input.sent.length, stored: input.stored.length, lost, duplicated, gaps, reordered, divergent, liveOutOfOrder, findings };
}

/** One line of figures for a suite's output and docs/RELIABILITY.md. */
export function describeReport(report: HistoryReport): string {
  return `${report.sends} acknowledged sends, ${report.stored} stored: ${report.lost} lost, ${report.duplicated} duplicated, ${report.gaps} seq gaps, ${report.reordered} reordered, ${report.divergent.length} divergent clients, ${report.liveOutOfOrder} live receives out of order (absorbed)`;
}
