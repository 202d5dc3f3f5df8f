import { clsx } from "clsx";
import { memo, useMemo, type ReactNode } from "react";
import Markdown, { type Components, type UrlTransform } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";

import { MENTION_PATTERN } from "./mention-text";

/**
 * Message bodies as a small, safe markdown subset. Everything else is unwrapped to its text: raw
 * HTML is skipped, images and unknown elements never reach the DOM, and links keep only
 * http(s)/mailto targets. Never use dangerouslySetInnerHTML for user content.
 */
export const ALLOWED_ELEMENTS = ["p", "strong", "em", "code", "pre", "a", "br", "del"] as const;

const MENTION_SCHEME = "mention:";
const SAFE_PROTOCOL = /^(?:https?|mailto):/i;
export const LINK_REL = "noopener noreferrer nofollow";

// Minimal mdast shapes: the plugin only needs text nodes and the tree around them.
type MdastText = { type: "text"; value: string };
type MdastLink = { type: "link"; url: string; children: MdastText[]; data: { hProperties: { dataMention: string } } };
type MdastParent = { type: string; children?: MdastNode[] };
type MdastNode = MdastParent | MdastText | MdastLink;

function splitMentions(value: string): MdastNode[] | null {
  const parts: MdastNode[] = [];
  let cursor = 0;
  for (const match of value.matchAll(MENTION_PATTERN)) {
    const userId = match[1]!;
    if (match.index > cursor) parts.push({ type: "text", value: value.slice(cursor, match.index) });
    parts.push({
      type: "link",
      url: `${MENTION_SCHEME}${userId}`,
      children: [{ type: "text", value: `@${userId}` }],
      // The marker only this plugin can set: a hand-written `[x](mention:id)` link is not a mention.
      data: { hProperties: { dataMention: userId } },
    });
    cursor = match.index + match[0].length;
  }
  if (parts.length === 0) return null;
  if (cursor < value.length) parts.push({ type: "text", value: value.slice(cursor) });
  return parts;
}

function rewriteMentions(node: MdastParent): void {
  if (!node.children || node.type === "link" || node.type === "linkReference") return;
  const next: MdastNode[] = [];
  for (const child of node.children) {
    if (child.type === "text") {
      next.push(...(splitMentions((child as MdastText).value) ?? [child]));
    } else {
      rewriteMentions(child as MdastParent);
      next.push(child);
    }
  }
  node.children = next;
}

/** `<@userId>` in text (not in code) becomes a link with the `mention:` scheme and a marker. */
function remarkMentions() {
  return (tree: MdastParent) => rewriteMentions(tree);
}

type MdastHtml = { type: "html"; value: string };

function htmlToText(node: MdastParent): void {
  if (!node.children) return;
  const isBlockParent = node.type !== "paragraph" && node.type !== "emphasis" && node.type !== "strong" && node.type !== "delete" && node.type !== "link";
  node.children = node.children.map((child) => {
    if (child.type !== "html") {
      htmlToText(child as MdastParent);
      return child;
    }
    const text: MdastText = { type: "text", value: (child as unknown as MdastHtml).value };
    return isBlockParent ? ({ type: "paragraph", children: [text] } as MdastParent) : text;
  });
}

/**
 * Someone who types `<b>` or `<div>` in a chat means those characters: show raw HTML as plain text
 * (escaped by React) instead of dropping it. `skipHtml` stays on as a second fence.
 */
function remarkHtmlAsText() {
  return (tree: MdastParent) => htmlToText(tree);
}

// Order matters: HTML becomes text before line breaks and mentions are found in text.
const REMARK_PLUGINS = [remarkGfm, remarkHtmlAsText, remarkBreaks, remarkMentions];

export const urlTransform: UrlTransform = (url, _key, node) => {
  if (url.startsWith(MENTION_SCHEME)) return node.properties?.dataMention ? url : "";
  return SAFE_PROTOCOL.test(url.trim()) ? url : "";
};

type MarkdownProps = {
  text: string;
  /** The member's name, or undefined when the id is not a member (shown as "@unknown"). */
  nameOf: (userId: string) => string | undefined;
  selfId: string | null;
  className?: string;
};

function buildComponents(nameOf: MarkdownProps["nameOf"], selfId: string | null): Components {
  return {
    a: ({ node, href, children }) => {
      const mentionId = node?.properties?.dataMention;
      if (typeof mentionId === "string") {
        const isSelf = mentionId === selfId;
        return (
          <span
            data-mention={mentionId}
            data-self={isSelf ? "true" : undefined}
            className={clsx(
              "rounded px-0.5 font-medium",
              isSelf
                ? "bg-amber-200 text-amber-950 dark:bg-amber-400/30 dark:text-amber-100"
                : "bg-indigo-100 text-indigo-800 dark:bg-indigo-500/20 dark:text-indigo-200",
            )}
          >
            @{nameOf(mentionId) ?? "unknown"}
          </span>
        );
      }
      if (!href) return <span>{children}</span>;
      return (
        <a
          href={href}
          target="_blank"
          rel={LINK_REL}
          className="break-words text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-600 dark:text-indigo-300 dark:decoration-indigo-500"
        >
          {children}
        </a>
      );
    },
    p: ({ children }) => <p className="[&:not(:first-child)]:mt-1.5">{children}</p>,
    pre: ({ children }) => (
      <pre className="my-1.5 max-w-full overflow-x-auto rounded-md bg-slate-100 p-2.5 font-mono text-[0.8125rem] leading-relaxed dark:bg-slate-800/80 [&>code]:bg-transparent [&>code]:p-0">
        {children}
      </pre>
    ),
    code: ({ children }) => (
      <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.8125rem] dark:bg-slate-800">{children}</code>
    ),
  };
}

function MarkdownBody({ text, nameOf, selfId, className }: MarkdownProps): ReactNode {
  const components = useMemo(() => buildComponents(nameOf, selfId), [nameOf, selfId]);
  return (
    <div className={clsx("break-words [overflow-wrap:anywhere]", className)}>
      <Markdown
        allowedElements={ALLOWED_ELEMENTS}
        unwrapDisallowed
        skipHtml
        remarkPlugins={REMARK_PLUGINS}
        urlTransform={urlTransform}
        components={components}
      >
        {text}
      </Markdown>
    </div>
  );
}

/** Parsing is the expensive part of a message: skip it when neither the text nor the names changed. */
export const MessageMarkdown = memo(MarkdownBody);
