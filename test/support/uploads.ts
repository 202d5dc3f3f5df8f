/** Small pieces shared by the upload tests (the attachments route's own and the security suite). Test-only. */

/** The body as JSON when it is JSON, else as text (a refusal may come from the framework, not the route). */
export async function readJson(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** The upload route of a conversation; the id is encoded, so hostile ids reach the route as sent. */
export function uploadUrl(serverUrl: string, conversationId: string): string {
  return `${serverUrl}/api/conversations/${encodeURIComponent(conversationId)}/attachments`;
}

/**
 * A request body that never ends by itself: `head` (a multipart start), then `filler` again and
 * again up to `total` bytes, stopped by `signal`. `pulled()` is how much the server has read so far:
 * a route that stops at its limit answers long before the end.
 */
export function endlessBody(head: Uint8Array, filler: Uint8Array, total: number, signal: AbortSignal): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (signal.aborted || pulled >= total) return controller.close();
      const chunk = pulled === 0 ? head : filler;
      controller.enqueue(chunk);
      pulled += chunk.length;
    },
  });
  return { stream, pulled: () => pulled };
}
