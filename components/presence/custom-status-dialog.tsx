"use client";

import { clsx } from "clsx";
import { useId, useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import type { OwnPresenceDto } from "@/lib/realtime/protocol";
import { PRESENCE_TEXT_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { emojiError } from "./custom-emoji";
import { CLEAR_AFTER_OPTIONS, expiresAtFor, NO_CUSTOM_STATUS, QUICK_EMOJI, statusInput, type ClearAfter, type CustomStatus } from "./custom-status";
import { useSetOwnStatus } from "./use-set-own-status";

// The protocol's limit for the emoji field (a sequence such as 👩🏽‍💻 takes several code units).
const EMOJI_MAX_LENGTH = 16;

type CustomStatusDialogProps = { open: boolean; own: OwnPresenceDto | null; onClose: () => void };

/** Sets, edits or clears the custom status: an emoji, a short text and when it clears itself. */
export function CustomStatusDialog({ open, own, onClose }: CustomStatusDialogProps) {
  const hasStatus = !!(own?.customEmoji || own?.customText);
  return (
    <Dialog open={open && own !== null} onClose={onClose} title={hasStatus ? "Edit custom status" : "Set a custom status"} size="sm">
      {own ? <CustomStatusForm own={own} hasStatus={hasStatus} onDone={onClose} /> : null}
    </Dialog>
  );
}

function CustomStatusForm({ own, hasStatus, onDone }: { own: OwnPresenceDto; hasStatus: boolean; onDone: () => void }) {
  const setOwnStatus = useSetOwnStatus();
  const [emoji, setEmoji] = useState(own.customEmoji ?? "");
  const [text, setText] = useState(own.customText ?? "");
  // An expiry already set is kept unless the user picks another one.
  const [clearAfter, setClearAfter] = useState<ClearAfter | "keep">(own.expiresAt ? "keep" : "never");
  const [error, setError] = useState<string | undefined>(undefined);
  const [isSaving, setIsSaving] = useState(false);
  const quickId = useId();

  function chooseEmoji(value: string) {
    setEmoji(value);
    setError(undefined);
  }

  async function save(custom: CustomStatus) {
    setIsSaving(true);
    if (await setOwnStatus(statusInput(own.mode, custom))) onDone();
    else setIsSaving(false);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = emojiError(emoji);
    if (problem) return setError(problem);
    const expiresAt = clearAfter === "keep" ? own.expiresAt : expiresAtFor(clearAfter, Date.now());
    void save({ customEmoji: emoji, customText: text, expiresAt });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Custom status" noValidate>
      <div className="flex flex-col gap-2">
        <TextField
          label="Emoji"
          name="custom-status-emoji"
          value={emoji}
          maxLength={EMOJI_MAX_LENGTH}
          placeholder="🌴"
          autoComplete="off"
          error={error}
          onChange={(event) => chooseEmoji(event.target.value)}
        />
        <p id={quickId} className="sr-only">
          Quick emoji
        </p>
        <div role="group" aria-labelledby={quickId} className="flex flex-wrap gap-1">
          {QUICK_EMOJI.map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={emoji.trim() === choice}
              onClick={() => chooseEmoji(choice)}
              className={clsx(
                "rounded-md px-2 py-1 text-lg leading-none hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800",
                emoji.trim() === choice && "bg-indigo-100 dark:bg-indigo-500/20",
              )}
            >
              {choice}
            </button>
          ))}
        </div>
      </div>

      <div className="flex flex-col gap-1">
        <TextField
          label="Status text"
          name="custom-status-text"
          value={text}
          maxLength={PRESENCE_TEXT_MAX_LENGTH}
          placeholder="What's happening?"
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
        />
        <p className="self-end text-xs text-slate-500 dark:text-slate-400" aria-hidden="true">
          {text.length}/{PRESENCE_TEXT_MAX_LENGTH}
        </p>
      </div>

      <SelectField label="Clear after" value={clearAfter} onChange={(event) => setClearAfter(event.target.value as ClearAfter | "keep")}>
        {own.expiresAt ? (
          <option value="keep">Until {new Date(own.expiresAt).toLocaleString(undefined, { weekday: "short", hour: "numeric", minute: "2-digit" })}</option>
        ) : null}
        {CLEAR_AFTER_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>

      <div className="flex flex-wrap items-center justify-end gap-2">
        {hasStatus ? (
          <Button variant="danger" className="mr-auto" disabled={isSaving} onClick={() => void save(NO_CUSTOM_STATUS)}>
            Clear status
          </Button>
        ) : null}
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={isSaving} aria-busy={isSaving || undefined}>
          {isSaving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
