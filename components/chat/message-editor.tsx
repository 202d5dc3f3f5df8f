"use client";

import { useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { Button } from "@/components/ui/button";
import { MESSAGE_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { toDisplayText, toWireText } from "./mention-text";

type MessageEditorProps = {
  body: string;
  nameOf: (userId: string) => string | undefined;
  /** Resolves true once saved. */
  onSave: (body: string) => Promise<boolean>;
  onCancel: () => void;
};

/** Inline editor: Enter saves, Shift+Enter adds a line, Escape cancels. Mentions show as @Name. */
export function MessageEditor({ body, nameOf, onSave, onCancel }: MessageEditorProps) {
  const [initial] = useState(() => toDisplayText(body, nameOf));
  const [text, setText] = useState(initial.text);
  const [isSaving, setIsSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }, []);

  useLayoutEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight, 240)}px`;
  }, [text]);

  const wire = toWireText(text, initial.mentions);
  const isTooLong = wire.length > MESSAGE_MAX_LENGTH;
  const isEmpty = wire.trim().length === 0;

  const save = async () => {
    if (isSaving || isEmpty || isTooLong) return;
    if (wire.trim() === body.trim()) {
      onCancel();
      return;
    }
    setIsSaving(true);
    const isSaved = await onSave(wire.trim());
    if (!isSaved) setIsSaving(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  return (
    <form onSubmit={onSubmit} className="mt-1">
      <textarea
        ref={ref}
        aria-label="Edited text"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        rows={1}
        aria-invalid={isTooLong || isEmpty || undefined}
        className="w-full resize-none rounded-lg border border-slate-300 bg-white px-3 py-2 text-[0.9375rem] leading-6 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/25 dark:border-slate-700 dark:bg-slate-900"
      />
      <div className="mt-1 flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
        <span className="mr-auto">
          {isTooLong ? (
            <span className="text-red-600 dark:text-red-400">{(wire.length - MESSAGE_MAX_LENGTH).toLocaleString()} characters over the limit</span>
          ) : (
            <>Escape to cancel · Enter to save</>
          )}
        </span>
        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" className="px-2 py-1 text-xs" disabled={isSaving || isEmpty || isTooLong}>
          Save
        </Button>
      </div>
    </form>
  );
}
