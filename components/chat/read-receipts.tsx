import type { ConversationDto, MessageDto } from "@/lib/realtime/protocol";

export type Receipt = { messageId: string; label: string; readers: string[] };

/**
 * Direct chats: "Seen" under the newest own message the other member has read. Groups: "Seen by N"
 * under the newest own message, naming who has read it. Null when there is nothing to show.
 */
export function computeReceipt(conversation: ConversationDto, messages: readonly MessageDto[], selfId: string | null): Receipt | null {
  if (!selfId) return null;
  const others = conversation.members.filter((member) => member.id !== selfId);
  if (others.length === 0) return null;

  if (conversation.kind === "direct") {
    const readSeq = Math.max(...others.map((member) => member.readSeq));
    for (let index = messages.length - 1; index >= 0; index -= 1) {
      const message = messages[index]!;
      if (message.authorId !== selfId || message.kind !== "text" || message.seq > readSeq) continue;
      return { messageId: message.id, label: "Seen", readers: others.map((member) => member.name) };
    }
    return null;
  }

  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index]!;
    if (message.authorId !== selfId || message.kind !== "text") continue;
    const readers = others.filter((member) => member.readSeq >= message.seq).map((member) => member.name);
    if (readers.length === 0) return null;
    return { messageId: message.id, label: `Seen by ${readers.length}`, readers };
  }
  return null;
}

export function ReadReceipt({ receipt }: { receipt: Receipt }) {
  const names = receipt.readers.join(", ");
  return (
    <p
      role="note"
      data-testid="read-receipt"
      className="px-3 pb-1 pl-15 text-right text-xs text-slate-500 dark:text-slate-400"
      title={names}
      aria-label={receipt.label === "Seen" ? `Seen by ${names}` : `${receipt.label}: ${names}`}
    >
      {receipt.label}
    </p>
  );
}
