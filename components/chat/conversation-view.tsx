"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef, useState, type DragEvent } from "react";
import { toast } from "sonner";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { useConversation } from "@/hooks/use-conversation";
import { useMarkRead } from "@/hooks/use-mark-read";
import { useReportViewing } from "@/hooks/use-report-viewing";
import { useRequest } from "@/hooks/use-request";
import { useSendMessage } from "@/hooks/use-send-message";
import { useSocket } from "@/hooks/use-socket";
import type { MessageDto } from "@/lib/realtime/protocol";
import { selectMessages, useChatStore } from "@/lib/stores/chat-store";
import { Composer, type ComposerHandle, type ReplyTarget } from "./composer";
import { ConversationActionsProvider, useMemberDirectory, type ConversationActions } from "./conversation-context";
import { ConversationHeader } from "./conversation-header";
import { FORMER_MEMBER } from "./message-item";
import { MessageList } from "./message-list";
import { toPreviewText } from "./mention-text";
import { TypingIndicator } from "./typing-indicator";

type ConversationViewProps = {
  conversationId: string;
  /** Opens the conversation details panel, when the page provides one. */
  onOpenDetails?: () => void;
};

function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

function parseSeq(value: string | null): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  const seq = Number(value);
  return seq > 0 ? seq : null;
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes("Files");
}

export function ConversationView({ conversationId, onOpenDetails }: ConversationViewProps) {
  const { conversation, messages, pending, hasOlder, isLoadingOlder, loadOlder, loadAround, error } = useConversation(conversationId);
  const isListLoaded = useChatStore((state) => state.isListLoaded);
  const selfId = useChatStore((state) => state.selfId);
  const socket = useSocket();
  const isConnected = useConnectionStatus() === "connected";
  const call = useRequest();
  const { retry, discard } = useSendMessage(conversationId);
  const directory = useMemberDirectory(conversation);

  const searchParams = useSearchParams();
  const pathname = usePathname();
  const targetSeq = parseSeq(searchParams.get("seq"));

  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const [isDragging, setIsDragging] = useState(false);
  const composerRef = useRef<ComposerHandle>(null);
  const dragDepth = useRef(0);

  const newestSeq = messages.at(-1)?.seq ?? null;
  useMarkRead(conversationId, isAtBottom ? newestSeq : null);
  // Messages here create no notification while this tab shows them.
  useReportViewing(conversationId);

  const apply = useCallback(
    (message: MessageDto) => useChatStore.getState().receiveMessages(message.conversationId, [message], { live: true }),
    [],
  );

  const actions = useMemo<ConversationActions>(
    () => ({
      conversationId,
      selfId,
      directory,
      reply: (message) => {
        setEditingId(null);
        setReplyTo(message);
      },
      startEdit: (messageId) => setEditingId(messageId),
      cancelEdit: () => {
        setEditingId(null);
        composerRef.current?.focus();
      },
      saveEdit: async (message, body) => {
        try {
          apply(await call("chat:edit", { messageId: message.id, body }));
          setEditingId((current) => (current === message.id ? null : current));
          composerRef.current?.focus();
          return true;
        } catch (caught) {
          toast.error(errorMessage(caught, "The message could not be edited."));
          return false;
        }
      },
      remove: async (message) => {
        try {
          apply(await call("chat:delete", { messageId: message.id }));
          setReplyTo((current) => (current?.id === message.id ? null : current));
          return true;
        } catch (caught) {
          toast.error(errorMessage(caught, "The message could not be deleted."));
          return false;
        }
      },
      react: (message, emoji, isOn) => {
        call("chat:react", { messageId: message.id, emoji, isOn }).then(apply, (caught: unknown) =>
          toast.error(errorMessage(caught, "The reaction could not be saved.")),
        );
      },
      // The message list provides the real one: it owns scrolling.
      jumpTo: () => undefined,
    }),
    [conversationId, selfId, directory, call, apply],
  );

  const onTargetHandled = useCallback(() => {
    // Drop ?seq so a reload opens at the latest messages and the same link can jump again.
    window.history.replaceState(window.history.state, "", pathname);
  }, [pathname]);

  const onEditLast = useCallback(() => {
    const loaded = selectMessages(conversationId)(useChatStore.getState());
    const own = loaded.findLast((message) => message.authorId === selfId && message.kind === "text" && !message.deletedAt);
    if (!own) return false;
    setEditingId(own.id);
    return true;
  }, [conversationId, selfId]);

  const nameOrFallback = useCallback((userId: string) => directory.nameOf(userId) ?? FORMER_MEMBER, [directory]);

  const replyTarget = useMemo<ReplyTarget | null>(() => {
    if (!replyTo) return null;
    const preview = toPreviewText(replyTo.body, directory.nameOf, 120);
    return { id: replyTo.id, authorName: directory.nameOf(replyTo.authorId) ?? FORMER_MEMBER, preview };
  }, [replyTo, directory]);

  const mentionable = useMemo(() => directory.members.filter((member) => member.id !== selfId), [directory, selfId]);
  const clearReply = useCallback(() => setReplyTo(null), []);
  const onSent = useCallback(() => setReplyTo(null), []);
  const onRetry = useCallback((id: string) => void retry(id), [retry]);
  const onDiscard = useCallback((id: string) => void discard(id), [discard]);

  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current += 1;
    setIsDragging(true);
  };
  const onDragLeave = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setIsDragging(false);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current = 0;
    setIsDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) composerRef.current?.addFiles(files);
    composerRef.current?.focus();
  };

  if (!conversation) {
    if (isListLoaded || error?.code === "NOT_FOUND") return <NotFound />;
    return (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading conversation…</p>
      </div>
    );
  }

  return (
    <ConversationActionsProvider value={actions}>
      <section
        className="relative flex h-full min-h-0 flex-col bg-white dark:bg-slate-950"
        onDragEnter={onDragEnter}
        onDragLeave={onDragLeave}
        onDragOver={onDragOver}
        onDrop={onDrop}
      >
        <ConversationHeader conversation={conversation} selfId={selfId} onOpenDetails={onOpenDetails} />
        {error && error.code !== "NOT_FOUND" && messages.length === 0 ? (
          <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
            {error.message}
          </p>
        ) : null}
        <MessageList
          conversation={conversation}
          messages={messages}
          pending={pending}
          hasOlder={hasOlder}
          isLoadingOlder={isLoadingOlder}
          canLoad={socket !== null && isConnected}
          loadOlder={loadOlder}
          loadAround={loadAround}
          targetSeq={targetSeq}
          onTargetHandled={onTargetHandled}
          editingId={editingId}
          onAtBottomChange={setIsAtBottom}
          onRetry={onRetry}
          onDiscard={onDiscard}
        />
        <TypingIndicator conversationId={conversationId} nameOf={nameOrFallback} />
        <Composer
          ref={composerRef}
          conversationId={conversationId}
          members={mentionable}
          replyTo={replyTarget}
          onCancelReply={clearReply}
          onSent={onSent}
          onEditLast={onEditLast}
        />
        {isDragging ? (
          <div className="pointer-events-none absolute inset-2 z-30 flex items-center justify-center rounded-xl border-2 border-dashed border-indigo-400 bg-indigo-50/90 text-sm font-medium text-indigo-800 dark:bg-indigo-950/90 dark:text-indigo-200">
            Drop files to attach them
          </div>
        ) : null}
      </section>
    </ConversationActionsProvider>
  );
}

function NotFound() {
  return (
    <section className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center" aria-labelledby="conversation-not-found">
      <h1 id="conversation-not-found" className="text-lg font-semibold">
        Conversation not found
      </h1>
      <p className="max-w-sm text-sm text-slate-600 dark:text-slate-400">
        It may have been deleted, or you are no longer a member of it.
      </p>
      <Link href="/" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500">
        Back to conversations
      </Link>
    </section>
  );
}
