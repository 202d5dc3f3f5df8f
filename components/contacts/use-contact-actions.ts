"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { toast } from "sonner";

import { useRequest } from "@/hooks/use-request";
import type { FriendRequestDto, PublicUserDto } from "@/lib/realtime/protocol";
import { useChatStore } from "@/lib/stores/chat-store";
import { useContactsStore } from "@/lib/stores/contacts-store";

export function errorText(caught: unknown): string {
  return caught instanceof Error ? caught.message : "Something went wrong.";
}

/** Opens (or finds) the direct conversation with someone and navigates to it. */
export function useOpenDirect() {
  const call = useRequest();
  const router = useRouter();
  return useCallback(
    async (userId: string) => {
      const conversation = await call("conversation:open-direct", { userId });
      // The ack is the same DTO the broadcast carries; applying it now means the view has it on arrival.
      useChatStore.getState().upsertConversation(conversation);
      router.push(`/chat/${conversation.id}`);
      return conversation;
    },
    [call, router],
  );
}

/**
 * The actions a person row offers. Each applies its ack to the contacts store at once (the
 * bridge applies the same change when the broadcast arrives; both are idempotent) and reports
 * failures with a toast. `isBusy(userId)` disables that row's buttons while a request is in flight.
 */
export function useContactActions() {
  const call = useRequest();
  const openDirect = useOpenDirect();
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());

  const run = useCallback(async (userId: string, action: () => Promise<unknown>) => {
    setBusyIds((current) => new Set(current).add(userId));
    try {
      await action();
    } catch (caught) {
      toast.error(errorText(caught));
    } finally {
      setBusyIds((current) => {
        const next = new Set(current);
        next.delete(userId);
        return next;
      });
    }
  }, []);

  const contacts = () => useContactsStore.getState();

  return {
    isBusy: (userId: string) => busyIds.has(userId),
    addContact: (user: PublicUserDto) =>
      run(user.id, async () => {
        contacts().applyRequest(await call("contacts:request", { userId: user.id }));
      }),
    cancelRequest: (request: FriendRequestDto) =>
      run(request.to.id, async () => {
        contacts().applyRequest(await call("contacts:cancel", { requestId: request.id }));
      }),
    respond: (request: FriendRequestDto, accept: boolean) =>
      run(request.from.id, async () => {
        contacts().applyRequest(await call("contacts:respond", { requestId: request.id, accept }));
      }),
    block: (user: PublicUserDto) =>
      run(user.id, async () => {
        contacts().setContacts(await call("contacts:block", { userId: user.id }));
      }),
    unblock: (user: PublicUserDto) =>
      run(user.id, async () => {
        contacts().setContacts(await call("contacts:unblock", { userId: user.id }));
      }),
    message: (user: PublicUserDto) => run(user.id, () => openDirect(user.id)),
  };
}
