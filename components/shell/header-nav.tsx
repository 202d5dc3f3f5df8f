"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, type ReactNode } from "react";

import { PhoneIcon } from "@/components/calls/call-icons";
import { MatchIcon } from "@/components/match/match-icons";
import { SearchIcon } from "@/components/search/search-link";
import { useContactsStore } from "@/lib/stores/contacts-store";

function NavLink({ href, label, icon, badge, badgeId }: { href: string; label: string; icon: ReactNode; badge?: ReactNode; badgeId?: string }) {
  const pathname = usePathname();
  const isActive = pathname === href || pathname?.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      // These pages are dynamic and have no loading boundary: a prefetch brings back only the route
      // tree, at the price of requests competing with the page's own while it loads.
      prefetch={false}
      aria-current={isActive ? "page" : undefined}
      className={clsx(
        "relative flex items-center gap-1.5 rounded-md px-1.5 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 sm:px-2.5",
        isActive ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
      )}
      // The name is exactly the label; the request count is announced as its description.
      aria-label={label}
      aria-describedby={badge && badgeId ? badgeId : undefined}
    >
      {icon}
      {/* Visible from sm up; on phones the icon shows and the text stays the link's name. */}
      <span className="sr-only sm:not-sr-only">{label}</span>
      {badge}
    </Link>
  );
}

/** Header links to the pages around chat (and Match); Contacts carries the number of incoming requests. */
export function HeaderNav() {
  const incoming = useContactsStore((state) => state.incoming.length);
  const badgeId = useId();
  return (
    <nav aria-label="Main" className="flex items-center gap-0.5">
      <NavLink
        href="/contacts"
        label="Contacts"
        icon={
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-current">
            <path d="M7.5 3a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7m0 1.8a1.7 1.7 0 1 0 0 3.4 1.7 1.7 0 0 0 0-3.4M1.5 16c0-2.8 2.7-4.5 6-4.5s6 1.7 6 4.5v1h-12zm2 -.8h8c-.4-1.2-1.9-1.9-4-1.9s-3.6.7-4 1.9M13.6 3.2a3.5 3.5 0 0 1 0 6.6l-.6-1.7a1.7 1.7 0 0 0 0-3.2zM15 11.8c2.2.5 3.5 2 3.5 4.2v1h-3v-1.8h1.1c-.3-.9-1-1.4-2-1.7z" />
          </svg>
        }
        badgeId={badgeId}
        badge={
          incoming > 0 ? (
            <span
              id={badgeId}
              data-testid="requests-badge"
              data-count={incoming}
              className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white sm:static sm:ml-0.5"
            >
              {incoming > 99 ? "99+" : incoming}
              <span className="sr-only">
                {incoming === 1 ? " contact request" : " contact requests"}
              </span>
            </span>
          ) : undefined
        }
      />
      <NavLink href="/calls" label="Calls" icon={<PhoneIcon />} />
      <NavLink href="/match" label="Match" icon={<MatchIcon />} />
      <NavLink href="/search" label="Search" icon={<SearchIcon className="h-5 w-5" />} />
    </nav>
  );
}
