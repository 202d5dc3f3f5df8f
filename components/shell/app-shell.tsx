"use client";

import { useState, type ReactNode } from "react";

import { ConnectionIndicator } from "./connection-indicator";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

export function AppShell({ user, children }: { user: { name: string; email: string }; children: ReactNode }) {
  const [isSidebarOpen, setIsSidebarOpen] = useState(false);

  return (
    <div className="flex h-dvh overflow-hidden">
      <Sidebar isOpen={isSidebarOpen} onClose={() => setIsSidebarOpen(false)} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 px-3 dark:border-slate-800">
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
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            <UserMenu user={user} />
          </div>
        </header>
        <main className="min-h-0 flex-1 overflow-y-auto">{children}</main>
      </div>
    </div>
  );
}
