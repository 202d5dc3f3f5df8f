import { BellOffIcon } from "@/components/chat/icons";

/** Shown beside a muted conversation's name; the text says until when (and is its accessible name). */
export function MutedIcon({ label, className = "h-3.5 w-3.5" }: { label: string; className?: string }) {
  return (
    <span role="img" aria-label={label} title={label} data-testid="muted-icon" className="shrink-0 text-slate-500 dark:text-slate-400">
      <BellOffIcon className={className} />
    </span>
  );
}
