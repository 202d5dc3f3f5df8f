/**
 * Most chat messages are plain sentences. For those the markdown renderer (react-markdown, remark,
 * micromark: the largest part of the chat page's JavaScript) would only wrap lines in paragraphs
 * and breaks, so they are rendered here and the renderer is loaded when a message needs it. The
 * test is deliberately coarse: any character that markdown, GFM autolinks or mentions could give a
 * meaning sends the text to the real renderer (markdown.test.ts checks both agree).
 */

// Emphasis, code, strikethrough, links, images, HTML, mentions, tables, headings, entities, escapes, emails.
const MARKUP_CHARACTER = /[\\`*_~[\]<>|#&@]/;
const AUTOLINK = /:\/\/|www\./i;
// Lists, quotes, setext and thematic lines, ordered lists; and any line that starts or ends with
// whitespace (indented code, hard breaks, and whitespace markdown keeps in ways not worth copying).
const MARKUP_LINE = /^\s*(?:[-+=>]|\d+[.)])|^[ \t]|[ \t]$/m;

export function isPlainText(text: string): boolean {
  return /\S/.test(text) && !MARKUP_CHARACTER.test(text) && !AUTOLINK.test(text) && !MARKUP_LINE.test(text);
}

/** Paragraphs (split at empty lines), each a list of its lines, as markdown parses a plain text. */
export function plainParagraphs(text: string): string[][] {
  return text
    .split(/\n\n+/)
    .map((paragraph) => paragraph.split("\n").filter((line) => line.length > 0))
    .filter((lines) => lines.length > 0);
}
