"use client";

import { clsx } from "clsx";
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";

import type { ConversationDto, MessageDto } from "@/lib/realtime/protocol";
import { selectMessages, useChatStore, type OutboxEntry } from "@/lib/stores/chat-store";
import { ConversationActionsProvider, useConversationActions } from "./conversation-context";
import { formatDay } from "./format";
import { ArrowDownIcon } from "./icons";
import { MessageItem } from "./message-item";
import { buildMessageRows, countNewSince, gapFillSeq, type Gap } from "./message-rows";
import { PendingMessage } from "./pending-message";
import { computeReceipt, ReadReceipt } from "./read-receipts";
import { useScrollAnchor } from "./use-scroll-anchor";

/** How far above the view older history starts loading, so it is usually there before it is needed. */
const PRELOAD_MARGIN_PX = 600;
const HIGHLIGHT_MS = 2_500;

type MessageListProps = {
  conversation: ConversationDto;
  messages: MessageDto[];
  pending: OutboxEntry[];
  hasOlder: boolean;
  isLoadingOlder: boolean;
  /** The socket is there and connected: requests can go out. */
  canLoad: boolean;
  loadOlder: () => Promise<void>;
  loadAround: (seq: number) => Promise<void>;
  /** `?seq=N` from a search result or notification: open around it and highlight it. */
  targetSeq: number | null;
  onTargetHandled: () => void;
  editingId: string | null;
  onAtBottomChange: (isAtBottom: boolean) => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
};

type Jump = { seq: number; isFromUrl: boolean };

function isNearView(element: HTMLElement | null, scroller: HTMLElement | null, margin: number): boolean {
  if (!element || !scroller) return false;
  const box = element.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  return box.bottom >= view.top - margin && box.top <= view.bottom + margin;
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

export function MessageList(props: MessageListProps) {
  const { conversation, messages, pending, hasOlder, isLoadingOlder, canLoad, loadOlder, loadAround, targetSeq, onTargetHandled, editingId } = props;
  const actions = useConversationActions();
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const { isAtBottom, measure, restore, scrollToBottom } = useScrollAnchor(scrollRef, contentRef);

  const [jump, setJump] = useState<Jump | null>(() => (targetSeq === null ? null : { seq: targetSeq, isFromUrl: true }));
  const [highlightedSeq, setHighlightedSeq] = useState<number | null>(null);
  const [leftBottomAtSeq, setLeftBottomAtSeq] = useState<number | null>(null);
  const isPositionedRef = useRef(false);
  const pendingCountRef = useRef(pending.length);
  const requestedJumpRef = useRef<Jump | null>(null);
  const fillingGapsRef = useRef(new Set<string>());
  const failedGapsRef = useRef(new Set<string>());
  // The first seq when older history was last requested automatically: no progress, no new attempt.
  const autoLoadedAtRef = useRef<number | null>(null);

  const rows = useMemo(() => buildMessageRows(messages, conversation.lastSeq), [messages, conversation.lastSeq]);
  const receipt = useMemo(() => computeReceipt(conversation, messages, actions.selfId), [conversation, messages, actions.selfId]);
  const newestSeq = messages.at(-1)?.seq ?? null;
  const hasTrailingGap = rows.at(-1)?.kind === "gap";

  // Latest values for callbacks fired by observers.
  const oldestSeq = messages[0]?.seq ?? null;
  const latest = useRef({ hasOlder, isLoadingOlder, canLoad, loadOlder, loadAround, newestSeq, oldestSeq });
  useEffect(() => {
    latest.current = { hasOlder, isLoadingOlder, canLoad, loadOlder, loadAround, newestSeq, oldestSeq };
  });

  const { onAtBottomChange } = props;
  useEffect(() => {
    onAtBottomChange(isAtBottom);
    setLeftBottomAtSeq(isAtBottom ? null : latest.current.newestSeq);
  }, [isAtBottom, onAtBottomChange]);

  useEffect(() => {
    if (targetSeq !== null) setJump((current) => (current?.seq === targetSeq ? current : { seq: targetSeq, isFromUrl: true }));
  }, [targetSeq]);

  const jumpTo = useCallback((seq: number) => setJump({ seq, isFromUrl: false }), []);
  const listActions = useMemo(() => ({ ...actions, jumpTo }), [actions, jumpTo]);

  // After every commit: first open at the bottom; then stay pinned or keep the anchor row still.
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const hasSentOwn = pending.length > pendingCountRef.current;
    pendingCountRef.current = pending.length;
    if (!isPositionedRef.current) {
      if (messages.length > 0 && jump === null) {
        isPositionedRef.current = true;
        scrollToBottom();
      }
      return;
    }
    if (hasSentOwn) scrollToBottom();
    else restore();
  });

  // A jump lands once its message is in the DOM.
  useLayoutEffect(() => {
    if (!jump) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-seq="${jump.seq}"]`);
    if (!element) return;
    element.scrollIntoView({ block: "center" });
    isPositionedRef.current = true;
    measure();
    setHighlightedSeq(jump.seq);
    setJump(null);
    if (jump.isFromUrl) onTargetHandled();
  }, [jump, rows, measure, onTargetHandled]);

  // ... and loads the page around it when it is not loaded yet.
  useEffect(() => {
    if (!jump || !canLoad || requestedJumpRef.current === jump) return;
    if (messages.some((message) => message.seq === jump.seq)) return;
    requestedJumpRef.current = jump;
    const giveUp = (message: string) => {
      toast.error(message);
      setJump((current) => (current === jump ? null : current));
      if (!isPositionedRef.current) {
        isPositionedRef.current = true;
        scrollToBottom();
      }
      if (jump.isFromUrl) onTargetHandled();
    };
    loadAround(jump.seq).then(
      () => {
        const loaded = selectMessages(conversation.id)(useChatStore.getState());
        if (!loaded.some((message) => message.seq === jump.seq)) giveUp("That message is no longer available.");
      },
      (error: unknown) => giveUp(errorText(error, "That message could not be loaded.")),
    );
  }, [jump, canLoad, messages, loadAround, conversation.id, scrollToBottom, onTargetHandled]);

  useEffect(() => {
    if (highlightedSeq === null) return;
    const timer = setTimeout(() => setHighlightedSeq(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlightedSeq]);

  const maybeLoadOlder = useCallback(() => {
    const { hasOlder: more, isLoadingOlder: busy, canLoad: ready, loadOlder: load, oldestSeq: oldest } = latest.current;
    if (!more || busy || !ready || !isPositionedRef.current || autoLoadedAtRef.current === oldest) return;
    // The observer only says "something changed"; the geometry says whether it is near now.
    if (!isNearView(topRef.current, scrollRef.current, PRELOAD_MARGIN_PX)) return;
    autoLoadedAtRef.current = oldest;
    void load();
  }, []);

  useEffect(() => {
    const scroller = scrollRef.current;
    const sentinel = topRef.current;
    if (!scroller || !sentinel || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(() => maybeLoadOlder(), { root: scroller, rootMargin: `${PRELOAD_MARGIN_PX}px 0px 0px 0px` });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasOlder, maybeLoadOlder]);

  // A page may not fill the view: keep loading while the top is still in sight.
  useEffect(() => {
    maybeLoadOlder();
  }, [messages, isLoadingOlder, canLoad, maybeLoadOlder]);

  /** Automatic fills skip a gap that failed once (no retry loop); a click always tries again. */
  const fillGap = useCallback((gap: Gap, key: string, isAutomatic: boolean) => {
    if (!latest.current.canLoad || fillingGapsRef.current.has(key)) return;
    if (isAutomatic && failedGapsRef.current.has(key)) return;
    fillingGapsRef.current.add(key);
    latest.current
      .loadAround(gapFillSeq(gap))
      .then(
        () => failedGapsRef.current.delete(key),
        (error: unknown) => {
          failedGapsRef.current.add(key);
          toast.error(errorText(error, "Messages could not be loaded."));
        },
      )
      .finally(() => fillingGapsRef.current.delete(key));
  }, []);

  const jumpToLatest = async () => {
    if (hasTrailingGap && canLoad) {
      try {
        await loadAround(conversation.lastSeq);
      } catch (error) {
        toast.error(errorText(error, "The latest messages could not be loaded."));
      }
    }
    scrollToBottom();
  };

  const onScroll = () => measure();
  const newCount = countNewSince(messages, leftBottomAtSeq, actions.selfId);
  const isEmpty = messages.length === 0 && pending.length === 0;

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        role="log"
        aria-live="polite"
        aria-label="Chat history"
        aria-busy={isLoadingOlder || undefined}
        onScroll={onScroll}
        tabIndex={0}
        className="h-full overflow-y-auto overscroll-contain [overflow-anchor:none] focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500"
      >
        <div ref={contentRef} className="mx-auto flex min-h-full max-w-4xl flex-col justify-end px-1 pb-2 pt-4 sm:px-3">
          {hasOlder ? (
            <div ref={topRef} className="flex justify-center py-3">
              <button
                type="button"
                onClick={() => void loadOlder()}
                disabled={isLoadingOlder || !canLoad}
                className="rounded-full px-3 py-1 text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-800 disabled:hover:bg-transparent dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
              >
                {isLoadingOlder ? "Loading older messages…" : "Load older messages"}
              </button>
            </div>
          ) : messages.length > 0 ? (
            <ConversationStart conversation={conversation} />
          ) : null}

          {isEmpty ? <EmptyState conversation={conversation} isLoading={conversation.lastSeq > 0} /> : null}

          <ConversationActionsProvider value={listActions}>
            {rows.map((row) => {
              if (row.kind === "day") return <DaySeparator key={row.key} dayStart={row.dayStart} />;
              if (row.kind === "gap") return <GapRow key={row.key} gapKey={row.key} gap={row.gap} scrollRef={scrollRef} onFill={fillGap} />;
              return (
                <Fragment key={row.key}>
                  <div data-anchor={row.message.id}>
                    <MessageItem
                      message={row.message}
                      isCompact={row.isCompact}
                      isHighlighted={highlightedSeq === row.message.seq}
                      isEditing={editingId === row.message.id}
                    />
                  </div>
                  {receipt?.messageId === row.message.id ? <ReadReceipt receipt={receipt} /> : null}
                </Fragment>
              );
            })}
            {pending.map((entry) => (
              <div key={entry.clientMessageId} data-anchor={entry.clientMessageId}>
                <PendingMessage entry={entry} onRetry={props.onRetry} onDiscard={props.onDiscard} />
              </div>
            ))}
          </ConversationActionsProvider>
        </div>
      </div>
      {!isAtBottom && !isEmpty ? (
        <button
          type="button"
          onClick={() => void jumpToLatest()}
          aria-label={newCount > 0 ? `Jump to latest (${newCount} new)` : "Jump to latest"}
          className="absolute bottom-3 right-4 z-10 inline-flex items-center gap-1.5 rounded-full bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white shadow-lg hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
        >
          <ArrowDownIcon />
          Jump to latest
          {newCount > 0 ? <span className="rounded-full bg-white/25 px-1.5 text-xs tabular-nums">{newCount}</span> : null}
        </button>
      ) : null}
    </div>
  );
}

function DaySeparator({ dayStart }: { dayStart: number }) {
  const label = formatDay(dayStart);
  return (
    <div role="separator" aria-label={label} className="my-3 flex items-center gap-3 px-3">
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
      <span className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</span>
      <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}

type GapRowProps = {
  gapKey: string;
  gap: Gap;
  scrollRef: React.RefObject<HTMLDivElement | null>;
  onFill: (gap: Gap, key: string, isAutomatic: boolean) => void;
};

/** Unloaded messages between two loaded ranges: fills itself when scrolled near, or on click. */
function GapRow({ gapKey, gap, scrollRef, onFill }: GapRowProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    const scroller = scrollRef.current;
    if (!element || !scroller || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onFill(gap, gapKey, true);
      },
      { root: scroller, rootMargin: `${PRELOAD_MARGIN_PX}px 0px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [gap, gapKey, scrollRef, onFill]);

  return (
    <div ref={ref} className="flex justify-center py-3" data-testid="message-gap">
      <button
        type="button"
        onClick={() => onFill(gap, gapKey, false)}
        className="rounded-full border border-dashed border-slate-300 px-3 py-1 text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:border-slate-700 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
      >
        Load missing messages
      </button>
    </div>
  );
}

function ConversationStart({ conversation }: { conversation: ConversationDto }) {
  return (
    <p className="px-4 pb-2 pt-6 text-center text-xs text-slate-500 dark:text-slate-400">
      {conversation.kind === "group" ? `This is the beginning of ${conversation.title}.` : `This is the beginning of your conversation with ${conversation.title}.`}
    </p>
  );
}

function EmptyState({ conversation, isLoading }: { conversation: ConversationDto; isLoading: boolean }) {
  if (isLoading) {
    return (
      <div className="flex flex-1 items-center justify-center p-8" aria-busy="true">
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading messages…</p>
      </div>
    );
  }
  return (
    <div className={clsx("flex flex-1 flex-col items-center justify-center gap-1 p-8 text-center")} data-testid="conversation-empty">
      <p className="text-sm font-medium text-slate-700 dark:text-slate-200">No messages yet</p>
      <p className="max-w-xs text-sm text-slate-500 dark:text-slate-400">
        {conversation.kind === "group" ? `Say hello to ${conversation.title}.` : `Send ${conversation.title} a first message.`}
      </p>
    </div>
  );
}
