import { clsx } from "clsx";
import Link from "next/link";

/** Opens message search, limited to one conversation (for the conversation header or details). */
export function SearchLink({ conversationId, variant = "icon", className }: { conversationId: string; variant?: "icon" | "button"; className?: string }) {
  const href = `/search?conversationId=${encodeURIComponent(conversationId)}`;
  if (variant === "button") {
    return (
      <Link
        href={href}
        className={clsx(
          "inline-flex items-center justify-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-xs font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800",
          className,
        )}
      >
        <SearchIcon className="h-3.5 w-3.5" />
        Search messages
      </Link>
    );
  }
  return (
    <Link
      href={href}
      aria-label="Search in this conversation"
      title="Search in this conversation"
      className={clsx("rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800", className)}
    >
      <SearchIcon className="h-5 w-5" />
    </Link>
  );
}

export function SearchIcon({ className }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={clsx("fill-current", className)}>
      <path d="M8.5 2a6.5 6.5 0 0 1 5.2 10.4l4 4-1.3 1.3-4-4A6.5 6.5 0 1 1 8.5 2m0 1.8a4.7 4.7 0 1 0 0 9.4 4.7 4.7 0 0 0 0-9.4" />
    </svg>
  );
}
