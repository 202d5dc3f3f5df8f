import type { Metadata } from "next";
import { Suspense } from "react";

import { ConversationWithDetails } from "@/components/chat/conversation-with-details";

export const metadata: Metadata = { title: "Chat" };

type ConversationPageProps = { params: Promise<{ conversationId: string }> };

/** Thin on purpose: the conversation lives in the realtime stores, which only the browser has. */
export default async function ConversationPage({ params }: ConversationPageProps) {
  const { conversationId } = await params;
  return (
    // useSearchParams (?seq=N) needs a boundary.
    <Suspense fallback={null}>
      <ConversationWithDetails key={conversationId} conversationId={conversationId} />
    </Suspense>
  );
}
