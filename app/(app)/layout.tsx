import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { RealtimeProvider } from "@/components/providers/realtime-provider";
import { AppShell } from "@/components/shell/app-shell";
import { getSessionUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  // Read at request time, so one build serves any deployment's realtime server.
  const socketUrl = process.env.SOCKET_URL || process.env.NEXT_PUBLIC_SOCKET_URL || null;
  return (
    <RealtimeProvider socketUrl={socketUrl}>
      <AppShell user={{ name: user.name, email: user.email }}>{children}</AppShell>
    </RealtimeProvider>
  );
}
