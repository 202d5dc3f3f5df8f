"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

/**
 * A button that opens a popover (menu, panel): open state, ids and refs, and dismissal on a
 * pointer down outside or Escape (focus then returns to the button). Events inside an open modal
 * dialog are ignored: a dialog opened from the popover must not close it. With `focusFirst` (a
 * selector), opening focuses the first match, as the ARIA menu pattern wants.
 */
export function usePopover({ focusFirst }: { focusFirst?: string } = {}) {
  const [isOpen, setIsOpen] = useState(false);
  const id = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  /** Closes; focus goes back to the button unless the caller moves it elsewhere (a navigation). */
  const close = useCallback((returnFocus = true) => {
    setIsOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);
  const toggle = useCallback(() => setIsOpen((open) => !open), []);

  useEffect(() => {
    if (isOpen && focusFirst) containerRef.current?.querySelector<HTMLElement>(focusFirst)?.focus();
  }, [isOpen, focusFirst]);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Element | null;
      if (containerRef.current?.contains(target) || target?.closest?.("dialog[open]")) return;
      close(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open]")) close();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [isOpen, close]);

  return { isOpen, id, containerRef, buttonRef, close, toggle };
}
