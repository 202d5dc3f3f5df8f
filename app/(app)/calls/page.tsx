import type { Metadata } from "next";

import { CallHistory } from "@/components/calls/call-history";

export const metadata: Metadata = { title: "Calls" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CallsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const raw = Array.isArray(params.withUserId) ? params.withUserId[0] : params.withUserId;
  const withUserId = raw ? raw.slice(0, 64) : null;
  // Keyed so following "Call history" from another conversation starts from its first page.
  return <CallHistory key={withUserId ?? "all"} withUserId={withUserId} />;
}
