"use client";

import { clsx } from "clsx";
import {
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
  type Ref,
} from "react";
import { toast } from "sonner";

import { useSendMessage } from "@/hooks/use-send-message";
import { useTypingEmitter } from "@/hooks/use-typing";
import type { PublicUserDto } from "@/lib/realtime/protocol";
import { MESSAGE_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { ATTACHMENT_ACCEPT } from "@/lib/validations/attachments";
import { UploadTray } from "./attachment-preview";
import { CloseIcon, PaperclipIcon, ReplyIcon, SendIcon } from "./icons";
import { filterMembers, MentionPicker, mentionOptionId } from "./mention-picker";
import { findMentionQuery, insertMention, toWireText, type MentionQuery, type MentionRef } from "./mention-text";
import { useUploads } from "./use-uploads";

export type ComposerHandle = { addFiles: (files: File[]) => void; focus: () => void };
export type ReplyTarget = { id: string; authorName: string; preview: string };

type ComposerProps = {
  conversationId: string;
  /** Who can be mentioned (the other members). */
  members: readonly PublicUserDto[];
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
  /** Called once a message is queued (clears the reply target). */
  onSent: () => void;
  /** ArrowUp in an empty composer: edit your last message. Returns whether an editor opened. */
  onEditLast: () => boolean;
  ref?: Ref<ComposerHandle>;
};

/** Counter shows from here on. */
const COUNTER_THRESHOLD = MESSAGE_MAX_LENGTH - 500;
const MAX_TEXTAREA_HEIGHT = 200;

// Unsent text per conversation, so switching conversations keeps what was typed (this tab only).
const drafts = new Map<string, { text: string; mentions: MentionRef[] }>();

function prefersNewlineOnEnter(): boolean {
  return typeof window !== "undefined" && window.matchMedia("(pointer: coarse)").matches;
}

export function Composer({ conversationId, members, replyTo, onCancelReply, onSent, onEditLast, ref }: ComposerProps) {
  const { send } = useSendMessage(conversationId);
  const typing = useTypingEmitter(conversationId);
  const { uploads, addFiles, remove, retry, forget, isUploading } = useUploads(conversationId);

  const [text, setText] = useState(() => drafts.get(conversationId)?.text ?? "");
  const [mentions, setMentions] = useState<MentionRef[]>(() => drafts.get(conversationId)?.mentions ?? []);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);

  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  /** Blocks a second submit of the same text within one event turn (a double-click or Enter+click). */
  const isSubmittingRef = useRef(false);
  const caretAfterRender = useRef<number | null>(null);
  const listId = useId();
  const counterId = useId();

  useImperativeHandle(ref, () => ({ addFiles, focus: () => textareaRef.current?.focus() }), [addFiles]);

  useEffect(() => {
    if (text === "" && mentions.length === 0) drafts.delete(conversationId);
    else drafts.set(conversationId, { text, mentions });
  }, [conversationId, text, mentions]);

  useEffect(() => {
    if (replyTo) textareaRef.current?.focus();
  }, [replyTo]);

  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight, MAX_TEXTAREA_HEIGHT)}px`;
    if (caretAfterRender.current !== null) {
      textarea.setSelectionRange(caretAfterRender.current, caretAfterRender.current);
      caretAfterRender.current = null;
    }
  }, [text]);

  const wireText = toWireText(text, mentions);
  const length = wireText.length;
  const isTooLong = length > MESSAGE_MAX_LENGTH;
  const readyUploads = uploads.filter((upload) => upload.status === "done" && upload.attachment);
  const hasContent = wireText.trim().length > 0 || readyUploads.length > 0;
  const canSend = hasContent && !isTooLong && !isUploading;

  const options = query ? filterMembers(members, query.query) : [];
  const isPickerOpen = query !== null && dismissedAt !== query.start && members.length > 0;
  const activeOption = isPickerOpen ? options[Math.min(activeIndex, options.length - 1)] : undefined;

  const updateQuery = (value: string, caret: number) => {
    const next = findMentionQuery(value, caret);
    if (next?.start !== query?.start) setActiveIndex(0);
    if (next?.start !== query?.start || next?.query !== query?.query) setQuery(next);
    if (next?.start !== dismissedAt) setDismissedAt(null);
  };

  const selectMember = (member: PublicUserDto) => {
    const textarea = textareaRef.current;
    if (!query || !textarea) return;
    const result = insertMention(text, query, textarea.selectionStart, member.name);
    setText(result.text);
    setMentions((current) => (current.some((mention) => mention.id === member.id) ? current : [...current, { id: member.id, name: member.name }]));
    caretAfterRender.current = result.caret;
    setQuery(null);
  };

  // The outbox holds the message from the first synchronous step of send(), shown as "Sending…":
  // the box empties at once, so the next Enter sends the next text and a double-click finds nothing.
  const submit = () => {
    if (isSubmittingRef.current || !canSend) return;
    isSubmittingRef.current = true;
    queueMicrotask(() => {
      isSubmittingRef.current = false;
    });
    const sentText = text;
    const sentMentions = mentions;
    const sentUploads = readyUploads;
    const attachmentIds = sentUploads.map((upload) => upload.attachment!.id);
    const queued = send(wireText.trim(), {
      ...(replyTo ? { replyToId: replyTo.id } : {}),
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
    });
    setText("");
    setMentions([]);
    setQuery(null);
    forget(sentUploads.map((upload) => upload.key));
    typing.onSend();
    onSent();
    // Nothing is lost: if the message could not be queued, it goes back into an empty box.
    const restore = (message: string) => {
      toast.error(message);
      if (!textareaRef.current?.value) {
        setText(sentText);
        setMentions(sentMentions);
      }
    };
    queued.then(
      (clientMessageId) => {
        if (!clientMessageId) restore("Not connected yet: your message is back in the box. Try again in a moment.");
      },
      () => restore("Your message could not be queued. It is back in the box: try again."),
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (isPickerOpen) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (options.length === 0) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActiveIndex((index) => (Math.min(index, options.length - 1) + step + options.length) % options.length);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && activeOption) {
        event.preventDefault();
        selectMember(activeOption);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissedAt(query.start);
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey && !prefersNewlineOnEnter()) {
      event.preventDefault();
      submit();
      return;
    }
    if (event.key === "Escape" && replyTo) {
      event.preventDefault();
      onCancelReply();
      return;
    }
    if (event.key === "ArrowUp" && text === "" && onEditLast()) event.preventDefault();
  };

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    const { value, selectionStart } = event.target;
    setText(value);
    updateQuery(value, selectionStart);
    if (value.trim() !== "") typing.onKeystroke();
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    event.preventDefault();
    addFiles(files);
  };

  const onFilesPicked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = "";
    if (files.length > 0) addFiles(files);
    textareaRef.current?.focus();
  };

  const onCaretMove = () => {
    const textarea = textareaRef.current;
    if (textarea) updateQuery(textarea.value, textarea.selectionStart);
  };

  return (
    <div className="shrink-0 px-3 pb-3 sm:px-4">
      {replyTo ? (
        <div className="mb-1.5 flex items-center gap-2 rounded-lg border-l-4 border-indigo-400 bg-slate-100 px-3 py-1.5 text-sm dark:bg-slate-800/70">
          <ReplyIcon className="h-4 w-4 shrink-0 text-slate-500" />
          <p className="min-w-0 flex-1 truncate">
            <span className="text-slate-600 dark:text-slate-400">Replying to </span>
            <span className="font-semibold">{replyTo.authorName}</span>
            {replyTo.preview ? <span className="text-slate-600 dark:text-slate-400">: {replyTo.preview}</span> : null}
          </p>
          <button
            type="button"
            aria-label="Cancel reply"
            onClick={onCancelReply}
            className="rounded p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-700 dark:hover:text-white"
          >
            <CloseIcon />
          </button>
        </div>
      ) : null}
      <form
        onSubmit={onSubmit}
        className="relative rounded-xl border border-slate-300 bg-white shadow-sm focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/25 dark:border-slate-700 dark:bg-slate-900"
      >
        <UploadTray uploads={uploads} onRemove={remove} onRetry={retry} />
        <div className="flex items-end gap-1 p-1.5">
          <button
            type="button"
            aria-label="Attach files"
            title="Attach files"
            onClick={() => fileInputRef.current?.click()}
            className="flex h-9 w-9 shrink-0 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
          >
            <PaperclipIcon className="h-5 w-5" />
          </button>
          <input
            ref={fileInputRef}
            type="file"
            multiple
            accept={ATTACHMENT_ACCEPT}
            onChange={onFilesPicked}
            className="hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="attach-input"
          />
          <textarea
            ref={textareaRef}
            aria-label="Message"
            placeholder="Write a message…"
            rows={1}
            value={text}
            onChange={onChange}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onSelect={onCaretMove}
            onBlur={() => setQuery(null)}
            aria-invalid={isTooLong || undefined}
            aria-describedby={length >= COUNTER_THRESHOLD ? counterId : undefined}
            aria-controls={isPickerOpen ? listId : undefined}
            aria-activedescendant={activeOption ? mentionOptionId(listId, activeOption.id) : undefined}
            aria-autocomplete="list"
            className="max-h-[200px] min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-[0.9375rem] leading-6 outline-none placeholder:text-slate-400 dark:placeholder:text-slate-500"
          />
          <button
            type="submit"
            aria-label="Send"
            title="Send"
            disabled={!canSend}
            className="flex h-9 w-9 shrink-0 items-center justify-center rounded-lg bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:bg-slate-200 disabled:text-slate-400 dark:disabled:bg-slate-800 dark:disabled:text-slate-500"
          >
            <SendIcon className="h-[1.125rem] w-[1.125rem]" />
          </button>
        </div>
        {length >= COUNTER_THRESHOLD ? (
          <p
            id={counterId}
            className={clsx("px-3 pb-1.5 text-right text-xs tabular-nums", isTooLong ? "font-medium text-red-600 dark:text-red-400" : "text-slate-500")}
          >
            {isTooLong
              ? `${(length - MESSAGE_MAX_LENGTH).toLocaleString()} characters over the ${MESSAGE_MAX_LENGTH.toLocaleString()} limit`
              : `${(MESSAGE_MAX_LENGTH - length).toLocaleString()} characters left`}
          </p>
        ) : null}
        {isUploading ? <p className="sr-only">Send is available once the files have uploaded.</p> : null}
        {isPickerOpen ? (
          <MentionPicker id={listId} options={options} activeIndex={Math.min(activeIndex, Math.max(0, options.length - 1))} onSelect={selectMember} onHover={setActiveIndex} />
        ) : null}
      </form>
    </div>
  );
}
