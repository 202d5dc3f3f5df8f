import { describe, expect, it } from "vitest";

import { excerptAround, splitMatches, toOneLine } from "./message-text";

const marked = (text: string, query: string) =>
  splitMatches(text, query)
    .map((part) => (part.isMatch ? `[${part.text}]` : part.text))
    .join("");

describe("splitMatches", () => {
  it("marks every occurrence of the query, ignoring case and keeping the original text", () => {
    expect(marked("Pizza tonight? PIZZA!", "pizza")).toBe("[Pizza] tonight? [PIZZA]!");
  });

  it("falls back to the words when the phrase does not occur as a whole", () => {
    expect(marked("the big red car", "red big")).toBe("the [big] [red] car");
  });

  it("merges overlapping matches instead of nesting them", () => {
    expect(marked("aaaa", "aa a")).toBe("[aaaa]");
  });

  it("returns the text unmarked when nothing matches, markup characters included", () => {
    expect(splitMatches("<b>hi</b>", "zz")).toEqual([{ text: "<b>hi</b>", isMatch: false }]);
  });
});

describe("excerptAround", () => {
  it("keeps short texts whole", () => {
    expect(excerptAround("short text", "text")).toBe("short text");
  });

  it("cuts long texts to a window that contains the match", () => {
    const text = `${"x".repeat(300)} needle ${"y".repeat(300)}`;
    const excerpt = excerptAround(text, "needle", 20);
    expect(excerpt).toContain("needle");
    expect(excerpt.startsWith("…")).toBe(true);
    expect(excerpt.endsWith("…")).toBe(true);
    expect(excerpt.length).toBeLessThan(50);
  });
});

describe("toOneLine", () => {
  it("collapses line breaks and runs of spaces", () => {
    expect(toOneLine("  a\n\n b\t c ")).toBe("a b c");
  });
});
