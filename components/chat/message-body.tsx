"use client";

import { clsx } from "clsx";
import { lazy, memo, Suspense, type ReactNode } from "react";

import { mentionsToPlainText } from "./mention-text";
import { isPlainText, plainParagraphs } from "./plain-text";

// Loaded the first time a message needs markdown (see plain-text.ts), not with the page.
const MessageMarkdown = lazy(() => import("./markdown").then((module) => ({ default: module.MessageMarkdown })));

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
  if (isPlainText(text)) return <PlainBody text={text} className={className} />;
  return (
    // Until the renderer arrives the text shows as typed, with mentions as names.
    <Suspense fallback={<PlainBody text={mentionsToPlainText(text, nameOf)} className={className} />}>
      <MessageMarkdown text={text} nameOf={nameOf} selfId={selfId} className={className} />
    </Suspense>
  );
}

/** A message's text: plain sentences directly, markdown through the renderer once it has loaded. */
export const MessageBody = memo(Body);
