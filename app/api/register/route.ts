import { consumeAuthAttempt } from "@/lib/auth/attempt-limit";
import { AppError } from "@/lib/errors";
import { appErrorResponse, errorResponse } from "@/lib/http";
import { getLogger } from "@/lib/logger";
import { registerUser } from "@/lib/services/user-service";
import { fieldErrors, registerInputSchema } from "@/lib/validations/auth";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 4_096;

export async function POST(request: Request): Promise<Response> {
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  if (!(await consumeAuthAttempt(`register:${ip}`))) {
    return errorResponse("RATE_LIMITED", "Too many attempts. Wait a minute and try again.");
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return errorResponse("PAYLOAD_TOO_LARGE");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse("INVALID_PAYLOAD", "The request body must be JSON.");
  }
  const parsed = registerInputSchema.safeParse(body);
  if (!parsed.success) return errorResponse("INVALID_PAYLOAD", "Check the highlighted fields.", fieldErrors(parsed.error));

  try {
    const user = await registerUser(parsed.data);
    return Response.json({ user: { id: user.id, name: user.name } }, { status: 201 });
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") {
      return errorResponse("CONFLICT", error.userMessage, { email: error.userMessage });
    }
    getLogger().error({ err: error }, "registration failed");
    return appErrorResponse(error);
  }
}
