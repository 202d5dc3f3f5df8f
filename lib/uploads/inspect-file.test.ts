import { describe, expect, it } from "vitest";

import { inspectFile, isUtf8Text, readImageSize, sniffImageType } from "@/lib/uploads/inspect-file";
import { MAX_IMAGE_PIXELS } from "@/lib/validations/attachments";
import { sampleExe, sampleGif, sampleJpeg, samplePdf, samplePng, sampleWebp } from "@/test/support/sample-files";

const text = (value: string) => new TextEncoder().encode(value);
const inspect = (bytes: Uint8Array, declaredType: string, fileName: string) => inspectFile({ bytes, declaredType, fileName });

describe("images are recognised by their bytes", () => {
  it.each([
    ["image/png", samplePng(37, 21)],
    ["image/jpeg", sampleJpeg(640, 480)],
    ["image/gif", sampleGif(12, 34)],
    ["image/webp", sampleWebp(1920, 1080)],
  ] as const)("%s", (type, bytes) => {
    expect(sniffImageType(bytes)).toBe(type);
  });

  it("reads the dimensions of each allowed image type", () => {
    expect(inspect(samplePng(37, 21), "image/png", "a.png")).toEqual({ ok: true, file: { contentType: "image/png", width: 37, height: 21 } });
    expect(inspect(sampleJpeg(640, 480), "image/jpeg", "a.jpg")).toEqual({ ok: true, file: { contentType: "image/jpeg", width: 640, height: 480 } });
    expect(inspect(sampleGif(12, 34), "image/gif", "a.gif")).toEqual({ ok: true, file: { contentType: "image/gif", width: 12, height: 34 } });
    expect(inspect(sampleWebp(1920, 1080), "image/webp", "a.webp")).toEqual({ ok: true, file: { contentType: "image/webp", width: 1920, height: 1080 } });
  });

  it("swaps width and height for a JPEG whose EXIF orientation turns it by 90°", () => {
    expect(readImageSize("image/jpeg", sampleJpeg(640, 480, 6))).toEqual({ width: 480, height: 640 });
    expect(readImageSize("image/jpeg", sampleJpeg(640, 480, 3))).toEqual({ width: 640, height: 480 });
  });

  it("stores the real image type whatever was declared", () => {
    const result = inspect(samplePng(4, 4), "application/pdf", "photo.pdf");
    expect(result).toEqual({ ok: true, file: { contentType: "image/png", width: 4, height: 4 } });
  });

  it("refuses an image whose header is cut off", () => {
    const result = inspect(samplePng(8, 8).slice(0, 20), "image/png", "cut.png");
    expect(result).toMatchObject({ ok: false, problem: { reason: "image-unreadable" } });
  });

  it("refuses an image with more pixels than the limit", () => {
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
    const result = inspect(sampleWebp(side, side), "image/webp", "huge.webp");
    expect(result).toMatchObject({ ok: false, problem: { reason: "image-too-large" } });
  });
});

describe("files that claim a type must carry its signature", () => {
  it("accepts a PDF, a text file, a zip and a docx", () => {
    expect(inspect(samplePdf(), "application/pdf", "a.pdf")).toEqual({ ok: true, file: { contentType: "application/pdf", width: null, height: null } });
    expect(inspect(text("héllo\n"), "text/plain", "a.txt")).toMatchObject({ ok: true, file: { contentType: "text/plain" } });
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    expect(inspect(zip, "application/zip", "a.zip")).toMatchObject({ ok: true, file: { contentType: "application/zip" } });
    const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    expect(inspect(zip, docx, "a.docx")).toMatchObject({ ok: true, file: { contentType: docx } });
  });

  it("refuses an executable or text claiming to be a PNG", () => {
    expect(inspect(sampleExe(), "image/png", "cat.png")).toEqual({ ok: false, problem: { reason: "content-mismatch", message: "This file is not a valid PNG image." } });
    expect(inspect(text("just text"), "image/png", "cat.png")).toMatchObject({ ok: false, problem: { reason: "content-mismatch" } });
  });

  it("refuses an executable claiming to be a PDF or text", () => {
    expect(inspect(sampleExe(), "application/pdf", "report.pdf")).toMatchObject({ ok: false, problem: { reason: "content-mismatch" } });
    expect(inspect(sampleExe(), "text/plain", "notes.txt")).toMatchObject({ ok: false, problem: { reason: "content-mismatch" } });
  });

  it("refuses types that are not allowed", () => {
    expect(inspect(sampleExe(), "application/octet-stream", "setup.exe")).toMatchObject({ ok: false, problem: { reason: "type-not-allowed" } });
    expect(inspect(text("<script>alert(1)</script>"), "text/html", "page.html")).toMatchObject({ ok: false, problem: { reason: "type-not-allowed" } });
    expect(inspect(text("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image/svg+xml", "a.svg")).toMatchObject({ ok: false, problem: { reason: "type-not-allowed" } });
  });

  it("falls back to the extension when the declared type is unknown or wrong for the bytes", () => {
    expect(inspect(samplePdf(), "", "a.pdf")).toMatchObject({ ok: true, file: { contentType: "application/pdf" } });
    // Windows with Excel installed reports .csv files as application/vnd.ms-excel.
    expect(inspect(text("a,b\n1,2\n"), "application/vnd.ms-excel", "table.csv")).toMatchObject({ ok: true, file: { contentType: "text/csv" } });
  });

  it("refuses an empty file", () => {
    expect(inspect(new Uint8Array(), "text/plain", "a.txt")).toMatchObject({ ok: false, problem: { reason: "empty" } });
  });
});

describe("isUtf8Text", () => {
  it("accepts UTF-8 with a BOM and refuses NUL bytes and invalid sequences", () => {
    expect(isUtf8Text(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe(true);
    expect(isUtf8Text(Uint8Array.from([0x61, 0x00, 0x62]))).toBe(false);
    expect(isUtf8Text(Uint8Array.from([0xc3, 0x28]))).toBe(false);
  });
});
