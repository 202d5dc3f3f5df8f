"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { Toaster } from "sonner";

import { CallLayer } from "@/components/calls/call-layer";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { useUnreadTitle } from "@/components/notifications/use-unread-title";
import { setNoticeNavigator } from "@/lib/realtime/client/notices";
import { ConnectionIndicator } from "./connection-indicator";
import { HeaderNav } from "./header-nav";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

export function AppShell({ user, children }: { user: { name: string; email: string }; children: ReactNode }) {
  const [isSidebarOpen, setIsSidebarOpen] = useState(false);
  const router = useRouter();

  // Toasts raised by the bridge ("Open") navigate client-side through the router.
  useEffect(() => setNoticeNavigator((href) => router.push(href)), [router]);
  useUnreadTitle();

  return (
    <div className="flex h-dvh overflow-hidden">
      <Sidebar isOpen={isSidebarOpen} onClose={() => setIsSidebarOpen(false)} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 px-2 sm:gap-3 sm:px-3 dark:border-slate-800">
          <button
            type="button"
            className="rounded-md p-2 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800"
            aria-label="Open conversations"
            aria-expanded={isSidebarOpen}
            aria-controls="sidebar"
            onClick={() => setIsSidebarOpen(true)}
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-current">
              <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
            </svg>
          </button>
          <span className="font-semibold text-indigo-600 dark:text-indigo-400">Parley</span>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <HeaderNav />
            <ConnectionIndicator />
            <NotificationBell />
            <UserMenu user={user} />
          </div>
        </header>
        <main className="min-h-0 flex-1 overflow-y-auto">{children}</main>
      </div>
      <CallLayer />
      {/* Below the header, so toasts never cover its controls. */}
      <Toaster theme="system" position="top-right" offset={{ top: 64, right: 16 }} mobileOffset={{ top: 64 }} closeButton richColors />
    </div>
  );
}
