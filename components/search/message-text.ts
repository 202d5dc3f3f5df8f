/** Message bodies shown as one line of plain text: previews, search results. Never HTML. */

/** Collapses line breaks and runs of spaces, for one-line previews. */
export function toOneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export type TextPart = { text: string; isMatch: boolean };

function findRanges(lower: string, needles: string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const needle of needles) {
    for (let from = lower.indexOf(needle); from !== -1; from = lower.indexOf(needle, from + needle.length)) {
      ranges.push([from, from + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/**
 * Splits text into matched and unmatched parts (case-insensitive). The whole query is preferred;
 * when it does not occur as a whole, its words are highlighted one by one.
 */
export function splitMatches(text: string, query: string): TextPart[] {
  const lower = text.toLowerCase();
  const phrase = query.trim().toLowerCase();
  if (!phrase) return [{ text, isMatch: false }];
  let ranges = findRanges(lower, [phrase]);
  if (ranges.length === 0) ranges = findRanges(lower, phrase.split(/\s+/).filter((word) => word.length > 0));
  const parts: TextPart[] = [];
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (start > cursor) parts.push({ text: text.slice(cursor, start), isMatch: false });
    parts.push({ text: text.slice(start, end), isMatch: true });
    cursor = end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), isMatch: false });
  return parts;
}

/** Cuts a long text to a window around its first match, so the match is visible in a result row. */
export function excerptAround(text: string, query: string, radius = 80): string {
  if (text.length <= radius * 2) return text;
  const lower = text.toLowerCase();
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const hit = [query.trim().toLowerCase(), ...words].map((needle) => lower.indexOf(needle)).find((index) => index >= 0) ?? 0;
  const start = Math.max(0, hit - radius);
  const end = Math.min(text.length, hit + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}
