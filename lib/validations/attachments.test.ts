import { describe, expect, it } from "vitest";

import {
  ATTACHMENT_ACCEPT,
  checkFileBeforeUpload,
  claimedContentTypes,
  downloadFileName,
  MAX_ATTACHMENT_BYTES,
  MAX_FILE_NAME_LENGTH,
  normalizeContentType,
  sanitizeFileName,
} from "@/lib/validations/attachments";

describe("downloadFileName", () => {
  it("keeps a name whose extension is of the stored kind", () => {
    expect(downloadFileName("photo.png", "image/png")).toBe("photo.png");
    expect(downloadFileName("photo.JPG", "image/png")).toBe("photo.JPG");
    expect(downloadFileName("table.csv", "text/plain")).toBe("table.csv");
    expect(downloadFileName("notes.md", "text/plain")).toBe("notes.md");
    expect(downloadFileName("report.docx", "application/zip")).toBe("report.docx");
    expect(downloadFileName("Résumé.pdf", "application/pdf")).toBe("Résumé.pdf");
  });

  it("adds the stored type's extension to any other name, so a saved file never opens as a page or a script", () => {
    expect(downloadFileName("page.html", "text/plain")).toBe("page.html.txt");
    expect(downloadFileName("run.bat", "text/plain")).toBe("run.bat.txt");
    expect(downloadFileName("logo.svg", "text/plain")).toBe("logo.svg.txt");
    expect(downloadFileName("poly.html", "image/png")).toBe("poly.html.png");
    expect(downloadFileName("app.jar", "application/zip")).toBe("app.jar.zip");
    expect(downloadFileName("notes.txt", "application/pdf")).toBe("notes.txt.pdf");
    expect(downloadFileName("README", "text/markdown")).toBe("README.md");
  });
});

describe("sanitizeFileName", () => {
  it("keeps only the last path segment", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("..\\..\\windows\\system32\\evil.png")).toBe("evil.png");
    expect(sanitizeFileName("/absolute/path/photo.jpg")).toBe("photo.jpg");
  });

  it("removes control and bidi characters and Windows-reserved ones", () => {
    expect(sanitizeFileName("bad\u0000na\u0007me\r\n.txt")).toBe("badname.txt");
    // U+202E (right-to-left override) would display "invoice\u202Efdp.exe" as "invoiceexe.pdf".
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName('a<b>c:"d|e?f*.txt')).toBe("a_b_c__d_e_f_.txt");
  });

  it("falls back to a neutral name for names that are empty or only dots", () => {
    expect(sanitizeFileName("")).toBe("file");
    expect(sanitizeFileName("..")).toBe("file");
    expect(sanitizeFileName("dir/")).toBe("file");
    expect(sanitizeFileName(" \u200b ")).toBe("file");
  });

  it("limits the length in characters and keeps the extension", () => {
    const long = `${"é".repeat(300)}.pdf`;
    const result = sanitizeFileName(long);
    expect(Array.from(result)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(result.endsWith("é.pdf")).toBe(true);
    // Surrogate pairs are never split.
    const emoji = sanitizeFileName("😀".repeat(250));
    expect(Array.from(emoji)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(emoji).toBe("😀".repeat(MAX_FILE_NAME_LENGTH));
  });

  it("leaves an ordinary name alone", () => {
    expect(sanitizeFileName("Quarterly report (final) – v2.pdf")).toBe("Quarterly report (final) – v2.pdf");
  });
});

describe("claimed types", () => {
  it("normalizes case, parameters and aliases", () => {
    expect(normalizeContentType("Text/Plain; charset=UTF-8")).toBe("text/plain");
    expect(normalizeContentType("image/jpg")).toBe("image/jpeg");
    expect(normalizeContentType("application/x-zip-compressed")).toBe("application/zip");
  });

  it("lists the declared type first, then the extension's", () => {
    expect(claimedContentTypes("application/vnd.ms-excel", "table.csv")).toEqual(["application/vnd.ms-excel", "text/csv"]);
    expect(claimedContentTypes("", "REPORT.PDF")).toEqual(["application/pdf"]);
    expect(claimedContentTypes("application/pdf", "report.pdf")).toEqual(["application/pdf"]);
  });

  it("claims nothing for types that are not allowed", () => {
    expect(claimedContentTypes("application/x-msdownload", "setup.exe")).toEqual([]);
    expect(claimedContentTypes("image/svg+xml", "logo.svg")).toEqual([]);
    expect(claimedContentTypes("text/html", "page.html")).toEqual([]);
  });
});

describe("checkFileBeforeUpload", () => {
  it("says why a file cannot be sent", () => {
    expect(checkFileBeforeUpload({ name: "big.png", size: MAX_ATTACHMENT_BYTES + 1, type: "image/png" })?.code).toBe("too-large");
    expect(checkFileBeforeUpload({ name: "empty.txt", size: 0, type: "text/plain" })?.code).toBe("empty");
    expect(checkFileBeforeUpload({ name: "setup.exe", size: 10, type: "application/x-msdownload" })?.code).toBe("type-not-allowed");
    expect(checkFileBeforeUpload({ name: "ok.png", size: MAX_ATTACHMENT_BYTES, type: "image/png" })).toBeNull();
  });

  it("offers every allowed type to the file picker", () => {
    expect(ATTACHMENT_ACCEPT.split(",")).toEqual(expect.arrayContaining(["image/png", "application/pdf", ".docx", ".jpg"]));
    expect(ATTACHMENT_ACCEPT).not.toMatch(/svg|html/);
  });
});
