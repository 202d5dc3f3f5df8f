import type { ReactNode } from "react";

export type IconProps = { className?: string };

/** A decorative 24×24 stroke icon (Lucide shapes); the control around it carries the accessible name. */
export function StrokeIcon({ children, className = "h-5 w-5", filled = false }: { children: ReactNode; className?: string | undefined; filled?: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill={filled ? "currentColor" : "none"}
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
    >
      {children}
    </svg>
  );
}
