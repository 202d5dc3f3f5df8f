/**
 * Small files built byte by byte for attachment tests: a real (decodable) PNG of any size, and
 * header-correct JPEG, GIF and WebP files, a PDF, a Windows executable.
 */
import { crc32, deflateSync } from "node:zlib";

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of arrays) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));
const u32be = (value: number): number[] => [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const u16be = (value: number): number[] => [(value >>> 8) & 0xff, value & 0xff];
const u16le = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff];
const u24le = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff];
const u32le = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = concat(ascii(type), data);
  return concat(u32be(data.length), typeAndData, u32be(crc32(typeAndData)));
}

/** A valid 8-bit grayscale PNG (a diagonal gradient), optionally with bytes appended after IEND. */
export function samplePng(width: number, height: number, trailing: Uint8Array = new Uint8Array()): Uint8Array {
  const header = Uint8Array.from([...u32be(width), ...u32be(height), 8, 0, 0, 0, 0]);
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) raw[y * (width + 1) + 1 + x] = (x + y) & 0xff;
  }
  return concat(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array()),
    trailing,
  );
}

/** JPEG markers up to the frame header (enough for dimensions), with an optional EXIF orientation. */
export function sampleJpeg(width: number, height: number, orientation?: number): Uint8Array {
  // A JFIF APP0 segment, or an EXIF APP1 one carrying the orientation: real JPEGs start with one of them.
  const app =
    orientation === undefined
      ? [0xff, 0xe0, ...u16be(16), ...ascii("JFIF"), 0, 1, 1, 0, ...u16be(1), ...u16be(1), 0, 0]
      : (() => {
          // "Exif\0\0", big-endian TIFF header, one IFD entry: tag 0x0112 (orientation), SHORT, count 1.
          const tiff = [...ascii("MM"), 0x00, 0x2a, ...u32be(8), ...u16be(1), ...u16be(0x0112), ...u16be(3), ...u32be(1), ...u16be(orientation), 0, 0, ...u32be(0)];
          const payload = [...ascii("Exif"), 0, 0, ...tiff];
          return [0xff, 0xe1, ...u16be(payload.length + 2), ...payload];
        })();
  const sof0 = [0xff, 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return concat([0xff, 0xd8], app, sof0, [0xff, 0xd9]);
}

/** GIF header and logical screen descriptor, then an empty trailer. */
export function sampleGif(width: number, height: number): Uint8Array {
  return concat(ascii("GIF89a"), u16le(width), u16le(height), [0, 0, 0], [0x3b]);
}

/** An extended (VP8X) WebP header. */
export function sampleWebp(width: number, height: number): Uint8Array {
  const chunk = [...ascii("VP8X"), ...u32le(10), 0, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)];
  return concat(ascii("RIFF"), u32le(4 + chunk.length), ascii("WEBP"), chunk);
}

export function samplePdf(): Uint8Array {
  return new TextEncoder().encode(
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
      "trailer << /Root 1 0 R >>\n%%EOF\n",
  );
}

/** The start of a Windows executable: "MZ", a DOS header with NUL bytes, a PE signature. */
export function sampleExe(): Uint8Array {
  const bytes = new Uint8Array(256);
  bytes.set(ascii("MZ"), 0);
  bytes.set([0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00], 2);
  bytes.set(u32le(0x80), 0x3c);
  bytes.set([...ascii("PE"), 0, 0], 0x80);
  return bytes;
}
