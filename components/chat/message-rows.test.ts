import { describe, expect, it } from "vitest";

import type { MessageDto } from "@/lib/realtime/protocol";
import { buildMessageRows, countNewSince, gapFillSeq } from "./message-rows";

function message(seq: number, authorId: string, createdAt: string, kind: MessageDto["kind"] = "text"): MessageDto {
  return {
    id: `m${seq}`,
    clientMessageId: `c${seq}`,
    conversationId: "c",
    seq,
    version: seq,
    authorId,
    kind,
    body: `body ${seq}`,
    mentions: [],
    replyTo: null,
    reactions: [],
    attachments: [],
    createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

const at = (day: number, hour: number, minute: number) => new Date(2026, 0, day, hour, minute).toISOString();

describe("buildMessageRows", () => {
  it("groups one author's consecutive messages within five minutes, breaking on other authors, system lines and days", () => {
    const rows = buildMessageRows(
      [
        message(1, "a", at(1, 10, 0)),
        message(2, "a", at(1, 10, 4)),
        message(3, "a", at(1, 10, 10)),
        message(4, "b", at(1, 10, 11)),
        message(5, "b", at(1, 10, 12), "system"),
        message(6, "b", at(1, 10, 13)),
        message(7, "b", at(2, 9, 0)),
      ],
      7,
    );
    expect(rows.map((row) => (row.kind === "message" ? `${row.message.seq}${row.isCompact ? "c" : ""}` : row.kind))).toEqual([
      "day", "1", "2c", "3", "4", "5", "6", "day", "7",
    ]);
  });

  it("marks unloaded ranges, including newest messages that are not loaded", () => {
    const rows = buildMessageRows([message(3, "a", at(1, 10, 0)), message(4, "a", at(1, 10, 1)), message(40, "a", at(1, 10, 2))], 50);
    const gaps = rows.flatMap((row) => (row.kind === "gap" ? [row.gap] : []));
    expect(gaps).toEqual([
      { afterSeq: 4, beforeSeq: 40 },
      { afterSeq: 40, beforeSeq: 51 },
    ]);
    const compact = rows.find((row) => row.kind === "message" && row.message.seq === 40);
    expect(compact?.kind === "message" && compact.isCompact).toBe(false);
  });

  it("asks for the page that starts right after a gap", () => {
    expect(gapFillSeq({ afterSeq: 10, beforeSeq: 100 })).toBe(36);
    expect(gapFillSeq({ afterSeq: 10, beforeSeq: 12 })).toBe(11);
    expect(gapFillSeq({ afterSeq: 10, beforeSeq: 20 })).toBe(19);
  });

  it("counts others' messages newer than where the reader left the bottom", () => {
    const messages = [message(1, "me", at(1, 1, 0)), message(2, "x", at(1, 1, 1)), message(3, "me", at(1, 1, 2)), message(4, "y", at(1, 1, 3))];
    expect(countNewSince(messages, 1, "me")).toBe(2);
    expect(countNewSince(messages, 4, "me")).toBe(0);
    expect(countNewSince(messages, null, "me")).toBe(0);
  });
});
