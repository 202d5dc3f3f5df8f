import { describe, expect, it } from "vitest";

import { MATCH_LANGUAGES, MATCH_REPORT_REASONS } from "@/lib/realtime/protocol";
import { defaultLanguage, estimateText, LANGUAGE_LABELS, moodsText, positionText, REPORT_REASON_LABELS, waitingText } from "./match-text";

describe("match text", () => {
  it("labels every language and report reason of the contract", () => {
    for (const language of MATCH_LANGUAGES) expect(LANGUAGE_LABELS[language]).toBeTruthy();
    for (const reason of MATCH_REPORT_REASONS) expect(REPORT_REASON_LABELS[reason]).toBeTruthy();
  });

  it("defaults to the first preferred language Match offers, else English", () => {
    expect(defaultLanguage(["de-AT", "en-US"])).toBe("de");
    expect(defaultLanguage(["gsw", "fr_CH"])).toBe("fr");
    expect(defaultLanguage(["EN-gb"])).toBe("en");
    expect(defaultLanguage(["xx"])).toBe("en");
    expect(defaultLanguage([])).toBe("en");
  });

  it("says whether both moods are the same", () => {
    expect(moodsText("chill", "chill")).toBe("You both feel chill");
    expect(moodsText("venting", "venting")).toBe("You both need to vent");
    expect(moodsText("chill", "happy")).toBe("You: Chill, them: Happy");
    expect(moodsText("thoughtful", "venting")).toBe("You: Thoughtful, them: Need to vent");
  });

  it("estimates, positions and counts in words", () => {
    expect(estimateText(null)).toBe("estimating…");
    expect(estimateText(4)).toBe("a few seconds");
    expect(estimateText(42)).toBe("about 40 seconds");
    expect(estimateText(80)).toBe("about a minute");
    expect(estimateText(200)).toBe("about 3 minutes");
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(positionText)).toEqual([
      "You're next",
      "2nd in line",
      "3rd in line",
      "4th in line",
      "11th in line",
      "12th in line",
      "13th in line",
      "21st in line",
      "22nd in line",
      "101st in line",
    ]);
    expect(waitingText(1, "en")).toBe("1 person waiting for English");
    expect(waitingText(3, "es")).toBe("3 people waiting for Spanish");
  });
});
