"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";

import { errorText } from "@/components/contacts/use-contact-actions";
import { Dialog } from "@/components/ui/dialog";
import { useRequest } from "@/hooks/use-request";
import type { NotificationKind } from "@/lib/realtime/protocol";
import { NOTIFICATION_KINDS } from "@/lib/realtime/protocol-constants";
import { useNotificationStore } from "@/lib/stores/notification-store";

const KIND_LABELS: Record<NotificationKind, string> = {
  message: "Messages",
  mention: "Mentions",
  reply: "Replies to my messages",
  reaction: "Reactions to my messages",
  friend_request: "Contact requests",
  friend_accepted: "Accepted contact requests",
  added_to_group: "Added to a group",
  missed_call: "Missed calls",
  announcement: "Announcements",
};

/** Per-kind toggles: a kind switched off creates no notification at all (the server decides). */
export function NotificationPreferencesDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Notification settings" description="Choose what notifies you. Mute a single conversation from its header." size="sm">
      <PreferencesForm />
    </Dialog>
  );
}

function PreferencesForm() {
  const call = useRequest();
  const kinds = useNotificationStore((state) => state.preferences);
  const [saving, setSaving] = useState<NotificationKind | null>(null);

  // Fetched on every opening: another device may have changed them.
  useEffect(() => {
    call("notifications:get-preferences", {}).then(
      (preferences) => useNotificationStore.getState().setPreferences(preferences.kinds),
      (caught: unknown) => toast.error(errorText(caught)),
    );
  }, [call]);

  async function toggle(kind: NotificationKind, isOn: boolean) {
    setSaving(kind);
    try {
      const preferences = await call("notifications:set-preferences", { kinds: { [kind]: isOn } });
      useNotificationStore.getState().setPreferences(preferences.kinds);
    } catch (caught) {
      toast.error(errorText(caught));
    }
    setSaving(null);
  }

  if (!kinds) return <p className="text-sm text-slate-500 dark:text-slate-400" aria-busy="true">Loading…</p>;
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="sr-only">Notify me about</legend>
      {NOTIFICATION_KINDS.map((kind) => (
        <label key={kind} className="flex items-center gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
          <input
            type="checkbox"
            checked={kinds[kind]}
            disabled={saving !== null}
            onChange={(event) => void toggle(kind, event.target.checked)}
            className="h-4 w-4 accent-indigo-600"
          />
          {KIND_LABELS[kind]}
        </label>
      ))}
    </fieldset>
  );
}
