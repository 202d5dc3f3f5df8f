/** What the Match page says, in one place (plain text; React renders it as text). */
import type { MatchLanguage, MatchMood, MatchReportReason } from "@/lib/realtime/protocol";
import { MATCH_LANGUAGES, MATCH_MOOD_LABELS } from "@/lib/realtime/protocol-constants";

/** English name, then the language's own name, so people find theirs either way. */
export const LANGUAGE_LABELS: Record<MatchLanguage, string> = {
  en: "English",
  es: "Spanish · Español",
  fr: "French · Français",
  de: "German · Deutsch",
  it: "Italian · Italiano",
  pt: "Portuguese · Português",
  nl: "Dutch · Nederlands",
  pl: "Polish · Polski",
  tr: "Turkish · Türkçe",
  ru: "Russian · Русский",
  uk: "Ukrainian · Українська",
  ar: "Arabic · العربية",
  hi: "Hindi · हिन्दी",
  ja: "Japanese · 日本語",
  ko: "Korean · 한국어",
  zh: "Chinese · 中文",
  id: "Indonesian · Bahasa Indonesia",
  vi: "Vietnamese · Tiếng Việt",
  sv: "Swedish · Svenska",
};

export const REPORT_REASON_LABELS: Record<MatchReportReason, string> = {
  harassment: "Harassment or bullying",
  hate: "Hate speech",
  sexual: "Sexual content",
  spam: "Spam or scam",
  underage: "Seems to be under age",
  other: "Something else",
};

/** The browser's first preferred language that Match offers ("en-GB" → "en"), else English. */
export function defaultLanguage(preferred: readonly string[]): MatchLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? "";
    const found = MATCH_LANGUAGES.find((language) => language === base);
    if (found) return found;
  }
  return "en";
}

const FEEL: Record<MatchMood, string> = {
  chill: "feel chill",
  happy: "feel happy",
  playful: "feel playful",
  curious: "feel curious",
  thoughtful: "feel thoughtful",
  venting: "need to vent",
};

/** "You both feel chill", or "You: Chill, them: Happy". */
export function moodsText(self: MatchMood, peer: MatchMood): string {
  return self === peer ? `You both ${FEEL[self]}` : `You: ${MATCH_MOOD_LABELS[self]}, them: ${MATCH_MOOD_LABELS[peer]}`;
}

/** "about 40 seconds", "about 3 minutes", or "estimating…" before the server has any figure. */
export function estimateText(seconds: number | null): string {
  if (seconds === null) return "estimating…";
  if (seconds < 10) return "a few seconds";
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "about a minute" : `about ${minutes} minutes`;
}

/** "You're next", "2nd in line", "11th in line". */
export function positionText(position: number): string {
  if (position <= 1) return "You're next";
  const tens = position % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[position % 10] ?? "th";
  return `${position}${suffix} in line`;
}

/** "1 person waiting for English", "3 people waiting for English" (the count includes oneself). */
export function waitingText(waiting: number, language: MatchLanguage): string {
  const name = LANGUAGE_LABELS[language].split(" · ")[0];
  return `${waiting} ${waiting === 1 ? "person" : "people"} waiting for ${name}`;
}
