import "fake-indexeddb/auto";

import { beforeEach, describe, expect, it } from "vitest";

import type { ChatSendInput, MessageDto, RealtimeError } from "@/lib/realtime/protocol";
import { initialChatState, useChatStore } from "@/lib/stores/chat-store";
import { discardMessage, enqueueMessage, flushOutbox, restoreOutbox, retryMessage } from "./outbox";
import type { AppClientSocket } from "./socket-manager";

type Reply = { ok: true } | { ok: false; error: RealtimeError } | "timeout";

/** A socket stand-in that answers chat:send like the server: a stored message per clientMessageId. */
function fakeSocket(reply: (input: ChatSendInput) => Reply) {
  const sent: ChatSendInput[] = [];
  let seq = 0;
  const socket = {
    connected: true,
    timeout: () => ({
      emitWithAck: async (_event: string, input: ChatSendInput) => {
        sent.push(input);
        const answer = reply(input);
        if (answer === "timeout") throw new Error("operation has timed out");
        if (!answer.ok) return answer;
        seq += 1;
        const message: MessageDto = {
          id: `m-${input.clientMessageId}`,
          clientMessageId: input.clientMessageId,
          conversationId: input.conversationId,
          seq,
          version: seq,
          authorId: "alice",
          kind: "text",
          body: input.body,
          mentions: [],
          replyTo: null,
          reactions: [],
          attachments: [],
          createdAt: new Date().toISOString(),
          editedAt: null,
          deletedAt: null,
        };
        return { ok: true, data: message };
      },
    }),
  };
  return { socket: socket as unknown as AppClientSocket & { connected: boolean }, sent };
}

const chat = () => useChatStore.getState();
const offline = null;

beforeEach(async () => {
  for (const entry of Object.values(chat().outbox)) await discardMessage(entry.clientMessageId);
  useChatStore.setState(initialChatState);
  chat().setSelf("alice");
});

describe("outbox", () => {
  it("keeps messages written offline across a reload and sends each exactly once, in order", async () => {
    for (const body of ["one", "two", "three", "four", "five"]) await enqueueMessage(offline, { conversationId: "c1", userId: "alice", body });
    expect(Object.keys(chat().outbox)).toHaveLength(5);

    useChatStore.setState(initialChatState); // the reload: memory is gone, IndexedDB is not
    await restoreOutbox("alice");
    expect(Object.keys(chat().outbox)).toHaveLength(5);

    const { socket, sent } = fakeSocket(() => ({ ok: true }));
    await flushOutbox(socket);
    expect(sent.map((input) => input.body)).toEqual(["one", "two", "three", "four", "five"]);
    expect(chat().outbox).toEqual({});
    expect(chat().messagesByConversation.c1).toHaveLength(5);

    useChatStore.setState(initialChatState);
    await restoreOutbox("alice");
    expect(chat().outbox).toEqual({});
  });

  it("does not bring back as pending a message already received while its copy on disk waited to be forgotten", async () => {
    await enqueueMessage(offline, { conversationId: "c1", userId: "alice", body: "raced" });
    const [entry] = Object.values(chat().outbox);
    useChatStore.setState(initialChatState);
    chat().setSelf("alice");
    // A sync delivered the stored message before the outbox was restored from disk.
    const { socket } = fakeSocket(() => ({ ok: true }));
    const reply = await socket.timeout(1).emitWithAck("chat:send", { conversationId: "c1", clientMessageId: entry!.clientMessageId, body: "raced" });
    if (reply.ok) chat().receiveMessages("c1", [reply.data]);
    await restoreOutbox("alice");
    expect(chat().outbox).toEqual({});
    useChatStore.setState(initialChatState);
    await restoreOutbox("alice");
    expect(chat().outbox).toEqual({}); // and it is gone from disk too
  });

  it("does not restore another user's unsent messages", async () => {
    await enqueueMessage(offline, { conversationId: "c1", userId: "bob", body: "bob's" });
    useChatStore.setState(initialChatState);
    await restoreOutbox("alice");
    expect(chat().outbox).toEqual({});
  });

  it("stops at a timeout and resends the same clientMessageId later", async () => {
    const id = await enqueueMessage(offline, { conversationId: "c1", userId: "alice", body: "retry me" });
    const flaky = fakeSocket(() => "timeout");
    await flushOutbox(flaky.socket);
    expect(chat().outbox[id]?.status).toBe("sending");

    const healthy = fakeSocket(() => ({ ok: true }));
    await flushOutbox(healthy.socket);
    expect(healthy.sent.map((input) => input.clientMessageId)).toEqual([id]);
    expect(flaky.sent[0]?.clientMessageId).toBe(id);
  });

  it("marks a permanently refused message failed, keeps it, and sends it again on retry", async () => {
    const id = await enqueueMessage(offline, { conversationId: "c1", userId: "alice", body: "nope" });
    const refusing = fakeSocket(() => ({ ok: false, error: { code: "FORBIDDEN", message: "You can't message this person." } }));
    await flushOutbox(refusing.socket);
    expect(chat().outbox[id]).toMatchObject({ status: "failed", error: { code: "FORBIDDEN" } });

    const again = fakeSocket(() => ({ ok: true }));
    await flushOutbox(again.socket);
    expect(again.sent).toHaveLength(0); // failed entries wait for the user

    await retryMessage(again.socket, id);
    await flushOutbox(again.socket);
    expect(again.sent.map((input) => input.clientMessageId)).toEqual([id]);
    expect(chat().outbox).toEqual({});
  });

  it("discard removes a message for good", async () => {
    const id = await enqueueMessage(offline, { conversationId: "c1", userId: "alice", body: "never mind" });
    await discardMessage(id);
    useChatStore.setState(initialChatState);
    await restoreOutbox("alice");
    expect(chat().outbox).toEqual({});
  });
});
