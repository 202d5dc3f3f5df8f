"use client";

import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from "react";

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;

/** A row near the top of the view, where it sat, and the scroll position it was measured at. */
type Anchor = { key: string; offset: number; scrollTop: number };

/** The first row (`data-anchor`) still visible at the top of the scroller, and how far below its top it sits. */
function findAnchor(container: HTMLElement): Anchor | null {
  const rows = container.querySelectorAll<HTMLElement>("[data-anchor]");
  const top = container.getBoundingClientRect().top;
  let low = 0;
  let high = rows.length - 1;
  let found: HTMLElement | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const row = rows[middle]!;
    if (row.getBoundingClientRect().bottom > top) {
      found = row;
      high = middle - 1;
    } else {
      low = middle + 1;
    }
  }
  if (!found?.dataset.anchor) return null;
  return { key: found.dataset.anchor, offset: found.getBoundingClientRect().top - top, scrollTop: container.scrollTop };
}

/**
 * Keeps a chat scroller where the reader left it. At the bottom it stays pinned there as messages
 * arrive; elsewhere the row at the top of the view stays put when rows are added above it (older
 * pages, filled gaps), so nothing jumps. The browser's own scroll anchoring is switched off on the
 * scroller (`overflow-anchor: none`) so the two never both correct the same change.
 */
export function useScrollAnchor(scrollRef: RefObject<HTMLDivElement | null>, contentRef: RefObject<HTMLDivElement | null>) {
  const isAtBottomRef = useRef(true);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const anchorRef = useRef<Anchor | null>(null);

  /** Reads where the reader is now: call after every scroll, programmatic or not. */
  const measure = useCallback(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= BOTTOM_SLACK_PX;
    if (atBottom !== isAtBottomRef.current) {
      isAtBottomRef.current = atBottom;
      setIsAtBottom(atBottom);
    }
    anchorRef.current = findAnchor(scroller);
  }, [scrollRef]);

  const scrollToBottom = useCallback(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    scroller.scrollTop = scroller.scrollHeight;
    measure();
  }, [scrollRef, measure]);

  /** After the content changed: stay pinned, or keep the anchor row where it was. */
  const restore = useCallback(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    if (isAtBottomRef.current) {
      scroller.scrollTop = scroller.scrollHeight;
    } else if (anchorRef.current && anchorRef.current.scrollTop === scroller.scrollTop) {
      // Unchanged scrollTop: only the content moved (the reader's own scrolling changes scrollTop).
      const row = scroller.querySelector<HTMLElement>(`[data-anchor="${CSS.escape(anchorRef.current.key)}"]`);
      if (row) {
        const offset = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
        const delta = offset - anchorRef.current.offset;
        if (Math.abs(delta) >= 1) scroller.scrollTop += delta;
      }
    }
    measure();
  }, [scrollRef, measure]);

  // Size changes that are not list renders: the composer growing, an editor growing, the window.
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => restore());
    observer.observe(scroller);
    observer.observe(content);
    return () => observer.disconnect();
  }, [scrollRef, contentRef, restore]);

  return { isAtBottom, isAtBottomRef, measure, restore, scrollToBottom };
}
