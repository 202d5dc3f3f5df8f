/**
 * Mentions as the composer shows them (`@Name`) and as they travel (`<@userId>`). Pure functions,
 * shared by the composer, the inline editor and the markdown renderer.
 */

/** The wire token; the same pattern the server parses mentions with. Global: use with matchAll/replace. */
export const MENTION_PATTERN = /<@([A-Za-z0-9_-]{1,64})>/g;

export type MentionRef = { id: string; name: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `<@id>` → `@Name` for editing; returns the mentions it resolved so they can be turned back on save. */
export function toDisplayText(body: string, nameOf: (userId: string) => string | undefined): { text: string; mentions: MentionRef[] } {
  const mentions: MentionRef[] = [];
  const text = body.replace(MENTION_PATTERN, (token, id: string) => {
    const name = nameOf(id);
    if (!name) return token;
    if (!mentions.some((mention) => mention.id === id)) mentions.push({ id, name });
    return `@${name}`;
  });
  return { text, mentions };
}

/**
 * `@Name` → `<@id>` for the mentions the user picked (longest names first, so "@Ann Lee" wins over
 * "@Ann"). A name only matches as a whole word: "@Annabel" is not a mention of Ann.
 */
export function toWireText(text: string, mentions: readonly MentionRef[]): string {
  const byLength = [...mentions].sort((a, b) => b.name.length - a.name.length);
  let result = text;
  for (const { id, name } of byLength) {
    // eslint-disable-next-line security/detect-non-literal-regexp -- the name is escaped
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])@${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, "gu");
    result = result.replace(pattern, (_match, before: string) => `${before}<@${id}>`);
  }
  return result;
}

export type MentionQuery = { start: number; query: string };

/** The `@query` being typed just before the caret, if any (an `@` at the start or after whitespace). */
export function findMentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([^\s@<>]{0,32})$/.exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  return { start: caret - query.length - 1, query };
}

/** Inserts `@Name ` in place of the `@query` that starts at `start` and ends at the caret. */
export function insertMention(text: string, query: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const next = text.slice(0, query.start) + inserted + text.slice(caret).replace(/^ /, "");
  return { text: next, caret: query.start + inserted.length };
}

/** Plain text with mentions resolved: system lines, reply quotes, the reply bar. */
export function mentionsToPlainText(body: string, nameOf: (userId: string) => string | undefined): string {
  return body.replace(MENTION_PATTERN, (_token, id: string) => `@${nameOf(id) ?? "unknown"}`);
}

/** One line for quotes and the reply bar: mentions as names, markdown markers and line breaks gone. */
export function toPreviewText(body: string, nameOf: (userId: string) => string | undefined, maxLength = 160): string {
  return mentionsToPlainText(body, nameOf)
    .replace(/```[^\n]*\n?/g, "")
    .replace(/(\*\*|__|~~|`)/g, "")
    .replace(/(^|[\s(])[*_]([^*_\s][^*_\n]*?)[*_](?=[\s).,!?:;]|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, maxLength);
}
