import { getSessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { getLogger } from "@/lib/logger";
import {
  assertConversationMember,
  consumeUploadBudget,
  createAttachment,
  UnsupportedAttachmentError,
} from "@/lib/services/attachment-service";
import { MAX_UPLOAD_BODY_BYTES, TOO_LARGE_MESSAGE, UNSUPPORTED_MEDIA_TYPE, UPLOAD_FIELD } from "@/lib/validations/attachments";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ conversationId: string }> };

const MALFORMED_MESSAGE = `Send one file as multipart/form-data in a field named "${UPLOAD_FIELD}".`;

// A body cut off at the limit is still read (and thrown away) up to this much more, so the client
// finishes sending and reads the 413 on a healthy connection instead of a reset.
const MAX_DISCARDED_BYTES = 4 * MAX_UPLOAD_BODY_BYTES;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > MAX_DISCARDED_BYTES) break;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to discard.
  }
}

/**
 * The body as form data, counted while it arrives: a body without Content-Length (chunked) is
 * refused as soon as it passes the limit instead of being buffered whole.
 */
async function readLimitedForm(request: Request): Promise<FormData | "too-large" | "malformed"> {
  if (!request.body) return "malformed";
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > MAX_UPLOAD_BODY_BYTES) {
        void discardRest(reader);
        return "too-large";
      }
      chunks.push(value as Uint8Array<ArrayBuffer>);
    }
  } catch {
    // The client aborted mid-upload; nobody reads this answer.
    return "malformed";
  }
  try {
    return await new Response(new Blob(chunks), { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    return "malformed";
  }
}

function failure(error: unknown): Response {
  if (error instanceof UnsupportedAttachmentError) {
    return Response.json({ error: { code: UNSUPPORTED_MEDIA_TYPE, message: error.userMessage } }, { status: 415 });
  }
  if (error instanceof AppError) {
    const response = errorResponse(error.code, error.userMessage);
    if (error.retryAfterMs !== undefined) response.headers.set("retry-after", String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
    return response;
  }
  getLogger().error({ err: error }, "attachment upload failed");
  return errorResponse("INTERNAL");
}

/** Uploads one file to a conversation the caller is a member of; 201 with its AttachmentDto. */
export async function POST(request: Request, context: Context): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) return errorResponse("UNAUTHORIZED");
    const declaredLength = Number(request.headers.get("content-length") ?? Number.NaN);
    if (declaredLength > MAX_UPLOAD_BODY_BYTES) return errorResponse("PAYLOAD_TOO_LARGE", TOO_LARGE_MESSAGE);
    await consumeUploadBudget(user.id);
    const { conversationId } = await context.params;
    await assertConversationMember(conversationId, user.id);
    if (!request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data")) {
      return errorResponse("INVALID_PAYLOAD", MALFORMED_MESSAGE);
    }

    const form = await readLimitedForm(request);
    if (form === "too-large") return errorResponse("PAYLOAD_TOO_LARGE", TOO_LARGE_MESSAGE);
    if (form === "malformed") return errorResponse("INVALID_PAYLOAD", MALFORMED_MESSAGE);
    const files = form.getAll(UPLOAD_FIELD);
    const [file] = files;
    if (files.length !== 1 || !(file instanceof File)) return errorResponse("INVALID_PAYLOAD", MALFORMED_MESSAGE);

    const attachment = await createAttachment({
      uploaderId: user.id,
      conversationId,
      fileName: file.name,
      declaredType: file.type,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json(attachment, { status: 201 });
  } catch (error) {
    return failure(error);
  }
}
