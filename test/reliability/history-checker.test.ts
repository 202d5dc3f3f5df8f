import { describe, expect, it } from "vitest";

import { checkHistory, type FinalView, type SentEntry, type StoredRow } from "./history-checker";

const row = (seq: number, authorId = "u1", clientMessageId = `c${seq}`, conversationId = "k"): StoredRow => ({ id: `m${seq}`, conversationId, seq, authorId, clientMessageId });
const sent = (seq: number, sentAt: number, authorId = "u1"): SentEntry => ({ client: authorId, authorId, conversationId: "k", clientMessageId: `c${seq}`, sentAt, id: `m${seq}`, seq });
const view = (client: string, seqs: number[]): FinalView => ({ client, conversationIds: ["k"], messages: seqs.map((seq) => ({ id: `m${seq}`, conversationId: "k", clientMessageId: `c${seq}`, authorId: "u1" })) });

describe("checkHistory", () => {
  it("a clean history has nothing to report", () => {
    const stored = [row(1), row(2), row(3)];
    const report = checkHistory({ sent: [sent(1, 1), sent(2, 2), sent(3, 3)], received: new Map(), stored, views: [view("a", [1, 2, 3]), view("b", [3, 2, 1])] });
    expect(report).toMatchObject({ sends: 3, stored: 3, lost: 0, duplicated: 0, gaps: 0, reordered: 0, divergent: [] });
  });

  it("finds an acknowledged send that was not stored, and a client missing a stored message", () => {
    const report = checkHistory({ sent: [sent(1, 1), sent(2, 2)], received: new Map(), stored: [row(1)], views: [view("a", [])] });
    expect(report.lost).toBe(2);
    expect(report.divergent).toEqual(["a"]);
  });

  it("finds two rows for one clientMessageId, an ack naming another row, and a client holding a copy twice", () => {
    const stored = [row(1), { ...row(2), clientMessageId: "c1" }];
    const twice: FinalView = { client: "a", conversationIds: ["k"], messages: [...view("a", [1]).messages, { id: "m2", conversationId: "k", clientMessageId: "c1", authorId: "u1" }] };
    const report = checkHistory({ sent: [{ ...sent(1, 1), id: "m9" }], received: new Map(), stored, views: [twice] });
    expect(report.duplicated).toBe(3);
  });

  it("finds seq gaps and sends stored out of their order", () => {
    const report = checkHistory({ sent: [sent(3, 1), sent(1, 2)], received: new Map(), stored: [row(1), row(3)], views: [] });
    expect(report.gaps).toBe(1);
    expect(report.reordered).toBe(1);
  });

  it("counts live receives that came out of order without calling them faults", () => {
    const report = checkHistory({ sent: [], received: new Map([["a", [{ conversationId: "k", id: "m2", seq: 2 }, { conversationId: "k", id: "m1", seq: 1 }]]]), stored: [row(1), row(2)], views: [view("a", [1, 2])] });
    expect(report.liveOutOfOrder).toBe(1);
    expect(report.lost + report.duplicated).toBe(0);
  });
});
