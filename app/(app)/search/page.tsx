import type { Metadata } from "next";

import { MessageSearch } from "@/components/search/message-search";

export const metadata: Metadata = { title: "Search" };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const query = first(params.q).slice(0, 200);
  const conversationId = first(params.conversationId).slice(0, 64);
  // Keyed so following a SearchLink from another conversation starts a fresh search form.
  return <MessageSearch key={conversationId} initialQuery={query} initialConversationId={conversationId} />;
}
