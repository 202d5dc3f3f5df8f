import { Readable } from "node:stream";

import { getSessionUser } from "@/lib/auth/session";
import { appErrorResponse, errorResponse } from "@/lib/http";
import { getLogger } from "@/lib/logger";
import { attachmentResponseHeaders, findReadableAttachment, getAttachmentStorage } from "@/lib/services/attachment-service";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ attachmentId: string }> };

const MAX_ID_LENGTH = 64;

/** Streams an attachment to a member of its conversation; 404 for anyone else and once its message is deleted. */
async function serve(context: Context, withBody: boolean): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) return errorResponse("UNAUTHORIZED");
    const { attachmentId } = await context.params;
    if (attachmentId.length > MAX_ID_LENGTH) return errorResponse("NOT_FOUND");
    const row = await findReadableAttachment(attachmentId, user.id);
    if (!row) return errorResponse("NOT_FOUND");
    const stored = await getAttachmentStorage().get(row.storageKey);
    if (!stored) {
      getLogger().warn({ attachmentId: row.id }, "attachment row without stored bytes");
      return errorResponse("NOT_FOUND");
    }
    // Next 16 drops Content-Length from route handler responses (send-response.js) and sends the body
    // chunked; the header stays in the Response for any other host of this handler.
    const headers = attachmentResponseHeaders(row, stored.size);
    if (!withBody) {
      stored.stream.destroy();
      return new Response(null, { status: 200, headers });
    }
    return new Response(Readable.toWeb(stored.stream) as ReadableStream<Uint8Array>, { status: 200, headers });
  } catch (error) {
    getLogger().error({ err: error }, "serving an attachment failed");
    return appErrorResponse(error);
  }
}

export function GET(_request: Request, context: Context): Promise<Response> {
  return serve(context, true);
}

export function HEAD(_request: Request, context: Context): Promise<Response> {
  return serve(context, false);
}
