import { describe, expect, it } from "vitest";

import { uploadErrorFromResponse } from "@/lib/uploads/upload-file";

const body = (code: string, message: string) => ({ error: { code, message } });

describe("uploadErrorFromResponse", () => {
  it("names why the upload failed from the status", () => {
    expect(uploadErrorFromResponse(413, body("PAYLOAD_TOO_LARGE", "The file is larger than 10 MB.")).code).toBe("too-large");
    expect(uploadErrorFromResponse(415, body("UNSUPPORTED_MEDIA_TYPE", "This file is not a valid PNG image.")).code).toBe("type-not-allowed");
    expect(uploadErrorFromResponse(404, body("NOT_FOUND", "That was not found.")).code).toBe("not-member");
    expect(uploadErrorFromResponse(401, body("UNAUTHORIZED", "You are signed out.")).code).toBe("signed-out");
    expect(uploadErrorFromResponse(429, body("RATE_LIMITED", "Slow down.")).code).toBe("rate-limited");
    expect(uploadErrorFromResponse(422, body("INVALID_PAYLOAD", "Send one file.")).code).toBe("invalid");
    expect(uploadErrorFromResponse(502, "<html>Bad gateway</html>").code).toBe("server");
  });

  it("keeps the server's message when it describes the file", () => {
    const error = uploadErrorFromResponse(415, body("UNSUPPORTED_MEDIA_TYPE", "This file is not a valid PNG image."));
    expect(error).toMatchObject({ code: "type-not-allowed", message: "This file is not a valid PNG image.", status: 415 });
  });

  it("uses its own message when the server's is generic or missing", () => {
    expect(uploadErrorFromResponse(404, body("NOT_FOUND", "That was not found.")).message).toMatch(/no longer send files/);
    expect(uploadErrorFromResponse(413, null).message).toMatch(/larger than 10 MB/);
    expect(uploadErrorFromResponse(500, body("INTERNAL", "")).message).toMatch(/on our side/);
  });
});
