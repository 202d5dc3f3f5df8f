"use client";

import { clsx } from "clsx";
import { memo, useEffect, useState, type ReactNode } from "react";

import { whenIdle } from "@/lib/when-idle";
import type { MessageMarkdown } from "./markdown";
import { mentionsToPlainText } from "./mention-text";
import { isPlainText, plainParagraphs } from "./plain-text";

type MarkdownRenderer = typeof MessageMarkdown;

let renderer: MarkdownRenderer | null = null;
let loading: Promise<MarkdownRenderer> | null = null;
const loadRenderer = (): Promise<MarkdownRenderer> => (loading ??= import("./markdown").then((module) => (renderer = module.MessageMarkdown)));

/**
 * The markdown renderer, once loaded. It is fetched after the messages have painted, when the page
 * is idle, so it never delays the conversation's first view; until then the text shows as typed.
 */
function useMarkdownRenderer(isNeeded: boolean): MarkdownRenderer | null {
  const [loaded, setLoaded] = useState<MarkdownRenderer | null>(() => renderer);
  useEffect(() => {
    if (!isNeeded || loaded) return;
    let isCurrent = true;
    const cancel = whenIdle(() => {
      void loadRenderer().then((component) => {
        if (isCurrent) setLoaded(() => component);
      });
    });
    return () => {
      isCurrent = false;
      cancel();
    };
  }, [isNeeded, loaded]);
  return loaded;
}

type MessageBodyProps = {
  text: string;
  /** The member's name, or undefined when the id is not a member (shown as "@unknown"). */
  nameOf: (userId: string) => string | undefined;
  selfId: string | null;
  className?: string;
};

/** The same elements and classes as the markdown renderer gives a text without markup. */
function PlainBody({ text, className }: { text: string; className?: string }): ReactNode {
  return (
    <div className={clsx("break-words [overflow-wrap:anywhere]", className)}>
      {plainParagraphs(text).map((lines, index) => [
        index > 0 ? "\n" : null,
        <p key={index} className="[&:not(:first-child)]:mt-1.5">
          {lines.map((line, lineIndex) => (lineIndex === 0 ? line : [<br key={lineIndex} />, `\n${line}`]))}
        </p>,
      ])}
    </div>
  );
}

function Body({ text, nameOf, selfId, className }: MessageBodyProps): ReactNode {
  const isPlain = isPlainText(text);
  const Markdown = useMarkdownRenderer(!isPlain);
  if (isPlain) return <PlainBody text={text} className={className} />;
  // Until the renderer is there: the text as typed, with mentions as names.
  if (!Markdown) return <PlainBody text={mentionsToPlainText(text, nameOf)} className={className} />;
  return <Markdown text={text} nameOf={nameOf} selfId={selfId} className={className} />;
}

/** A message's text: plain sentences directly, markdown through the renderer once it has loaded. */
export const MessageBody = memo(Body);
