import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { MessageMarkdown } from "./markdown";
import { MessageBody } from "./message-body";
import { isPlainText } from "./plain-text";

const nameOf = (id: string) => (id === "u_alice" ? "Alice" : undefined);
const props = (text: string) => ({ text, nameOf, selfId: "u_bob" });
const viaRenderer = (text: string) => renderToStaticMarkup(createElement(MessageMarkdown, props(text)));
const viaFastPath = (text: string) => renderToStaticMarkup(createElement(MessageBody, props(text)));

const PLAIN = [
  "Morning! Did you see the notes from yesterday's review?",
  "Also: lunch at 12:30?",
  "Sounds good, ping me when you have numbers 👍",
  "line one\nline two",
  "first paragraph\n\nsecond paragraph",
  "a\n\n\n\nb",
  "\n\nleading and trailing blank lines\n\n",
  "spaces   inside   a line stay",
  "it costs 5 - 3 = 2 (roughly) and 100% \"quoted\" 'text' ; fine, right?",
  "tab\tinside",
];

const MARKUP = [
  "**bold**",
  "_em_",
  "`code`",
  "~~gone~~",
  "[link](https://example.com)",
  "https://example.com",
  "see www.example.com",
  "mail me@example.com",
  "<b>html</b>",
  "hi <@u_alice>",
  "# heading",
  "- item",
  "+ item",
  "1. item",
  "2) item",
  "> quote",
  "title\n===",
  "    indented code",
  "hard  \nbreak",
  "a | b",
  "AT&amp;T",
  "escaped \\*",
  " leading space",
  "blank line with spaces\n  \nafter",
];

describe("plain-text fast path", () => {
  it.each(PLAIN)("renders %j exactly as the markdown renderer does", (text) => {
    expect(isPlainText(text)).toBe(true);
    expect(viaFastPath(text)).toBe(viaRenderer(text));
  });

  it.each(MARKUP)("leaves %j to the markdown renderer", (text) => {
    expect(isPlainText(text)).toBe(false);
  });

  it("agrees with the renderer on any text it accepts", () => {
    const alphabet = fc.constantFrom(..."ab Z09 .,!?:;'\"()/-+=%$\n\t\u00a0é👍".split(""), "  ", "\n\n", "1.", "2)");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join("")), (text) => {
        fc.pre(isPlainText(text));
        expect(viaFastPath(text)).toBe(viaRenderer(text));
      }),
      { numRuns: 500 },
    );
  });
});
