"use client";

import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";

import { errorText } from "@/components/contacts/use-contact-actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useRequest } from "@/hooks/use-request";
import { ANNOUNCEMENT_MAX_LENGTH } from "@/lib/realtime/protocol-constants";

/** Admins only (the menu item is shown to them; the server refuses anyone else): one text to everyone. */
export function AnnouncementDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Send announcement" description="Every user gets it: live if connected, otherwise at next sign-in." size="sm">
      <AnnouncementForm onDone={onClose} />
    </Dialog>
  );
}

function AnnouncementForm({ onDone }: { onDone: () => void }) {
  const call = useRequest();
  const [body, setBody] = useState("");
  const [isSending, setIsSending] = useState(false);
  const fieldId = useId();
  const counterId = useId();
  const isEmpty = body.trim().length === 0;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isEmpty) return;
    setIsSending(true);
    try {
      const { delivered } = await call("notifications:announce", { body: body.trim() });
      toast.success(delivered === 1 ? "Announcement sent to 1 person." : `Announcement sent to ${delivered} people.`);
      onDone();
    } catch (caught) {
      toast.error(errorText(caught));
      setIsSending(false);
    }
  }

  return (
    <form onSubmit={(event) => void onSubmit(event)} className="flex flex-col gap-3">
      <label htmlFor={fieldId} className="text-sm font-medium">
        Announcement
      </label>
      <textarea
        id={fieldId}
        value={body}
        maxLength={ANNOUNCEMENT_MAX_LENGTH}
        rows={5}
        aria-describedby={counterId}
        onChange={(event) => setBody(event.target.value)}
        className="resize-y rounded-md border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
      />
      <p id={counterId} className="self-end text-xs text-slate-500 dark:text-slate-400">
        {body.length}/{ANNOUNCEMENT_MAX_LENGTH}
      </p>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={isEmpty || isSending} aria-busy={isSending || undefined}>
          {isSending ? "Sending…" : "Send"}
        </Button>
      </div>
    </form>
  );
}
