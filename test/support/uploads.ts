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
