import { describe, expect, it } from "vitest";

import { attachmentResponseHeaders, contentDisposition, toAttachmentDto } from "@/lib/services/attachment-service";

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("attachment", "Résumé (v2).pdf")).toBe(
      `attachment; filename="R_sum_ (v2).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28v2%29.pdf`,
    );
  });

  it("cannot be broken out of by quotes, backslashes or semicolons in the name", () => {
    const header = contentDisposition("attachment", 'a"; filename="evil.html\\.txt');
    expect(header).toBe(`attachment; filename="a_; filename=_evil.html_.txt"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.html%5C.txt`);
  });
});

describe("attachmentResponseHeaders", () => {
  it("serves allowed images inline and everything else as a download, never sniffed", () => {
    const image = attachmentResponseHeaders({ contentType: "image/png", fileName: "cat.png" }, 10);
    expect(image).toMatchObject({
      "content-type": "image/png",
      "content-length": "10",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=3600",
    });
    expect(image["content-disposition"]).toMatch(/^inline;/);
    expect(attachmentResponseHeaders({ contentType: "application/pdf", fileName: "a.pdf" }, 1)["content-disposition"]).toMatch(/^attachment;/);
    expect(attachmentResponseHeaders({ contentType: "text/plain", fileName: "a.txt" }, 1)["content-disposition"]).toMatch(/^attachment;/);
  });
});

describe("toAttachmentDto", () => {
  it("points at the download route", () => {
    const dto = toAttachmentDto({ id: "att1", fileName: "a.png", contentType: "image/png", size: 3, width: 1, height: 2 });
    expect(dto).toEqual({ id: "att1", fileName: "a.png", contentType: "image/png", size: 3, width: 1, height: 2, url: "/api/attachments/att1" });
  });
});
