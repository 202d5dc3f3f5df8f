import { describe, expect, it } from "vitest";

import { findMentionQuery, insertMention, mentionsToPlainText, toDisplayText, toPreviewText, toWireText } from "./mention-text";

const NAMES: Record<string, string> = { u1: "Ann", u2: "Ann Lee", u3: "Bob" };
const nameOf = (id: string) => NAMES[id];

describe("mention text", () => {
  it("turns picked @Names into tokens, longest name first, whole words only", () => {
    const mentions = [
      { id: "u1", name: "Ann" },
      { id: "u2", name: "Ann Lee" },
    ];
    expect(toWireText("@Ann Lee and @Ann, not @Annabel or me@Ann", mentions)).toBe("<@u2> and <@u1>, not @Annabel or me@Ann");
    expect(toWireText("(@Ann)\n@Ann", mentions)).toBe("(<@u1>)\n<@u1>");
  });

  it("does not treat regex characters in names as patterns", () => {
    expect(toWireText("@J.R. and @JxR.", [{ id: "u9", name: "J.R." }])).toBe("<@u9> and @JxR.");
  });

  it("round-trips a body through the editor's display text", () => {
    const body = "hi <@u3> and <@u2>, not <@ghost>";
    const display = toDisplayText(body, nameOf);
    expect(display.text).toBe("hi @Bob and @Ann Lee, not <@ghost>");
    expect(toWireText(display.text, display.mentions)).toBe(body);
  });

  it("finds the query being typed after an @ at a word start", () => {
    expect(findMentionQuery("hello @an", 9)).toEqual({ start: 6, query: "an" });
    expect(findMentionQuery("@", 1)).toEqual({ start: 0, query: "" });
    expect(findMentionQuery("mail me@an", 10)).toBeNull();
    expect(findMentionQuery("@an more", 8)).toBeNull();
  });

  it("inserts the picked name in place of the query and puts the caret after it", () => {
    const text = "hey @bo there";
    const query = findMentionQuery(text, 7)!;
    expect(insertMention(text, query, 7, "Bob")).toEqual({ text: "hey @Bob there", caret: 9 });
  });

  it("resolves mentions for plain text and previews", () => {
    expect(mentionsToPlainText("<@u3> <@nobody>", nameOf)).toBe("@Bob @unknown");
    expect(toPreviewText("**Hey** <@u3>, see `code` and _this_\n\n~~old~~ snake_case_name", nameOf)).toBe("Hey @Bob, see code and this old snake_case_name");
  });
});
