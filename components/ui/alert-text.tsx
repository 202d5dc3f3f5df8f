import type { ReactNode } from "react";

/** An error line that screen readers announce; renders nothing without a message. */
export function AlertText({ id, children }: { id?: string | undefined; children: ReactNode }) {
  if (children === null || children === undefined || children === false || children === "") return null;
  return (
    <p id={id} role="alert" className="text-sm text-red-600 dark:text-red-400">
      {children}
    </p>
  );
}
