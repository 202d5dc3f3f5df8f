/**
 * Kept frames outside the V8 heap. The recovery buffer keeps every broadcast of the last 30 s
 * (recovery.ts); as strings, each message's frame (~0.5 KB) was copied by two young-generation
 * collections and then held by the old generation, where at 2,000 msgs/s it made the old
 * generation grow for the whole window (docs/PERFORMANCE.md, the 1,000-user tail). Here a frame
 * is its UTF-8 bytes appended to a 1 MiB slab: the collector sees one small object per slab, and a
 * slab's memory is freed with the last kept packet that points into it.
 */
export const SLAB_BYTES = 1 << 20;

/** Where one frame's bytes are. */
export type SlabRange = { slab: Buffer; start: number; end: number };

export type FrameSlabs = {
  /** Copies the frame's bytes in; the caller keeps the returned range. */
  keep(frame: string): SlabRange;
};

export function createFrameSlabs(slabBytes = SLAB_BYTES): FrameSlabs {
  let slab = Buffer.allocUnsafeSlow(slabBytes);
  let used = 0;
  return {
    keep(frame) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8: a frame that might need more than a quarter
      // of a slab gets a buffer of its own; the rest always fit a fresh slab, so none is ever cut.
      if (frame.length * 3 > slabBytes / 4) {
        const own = Buffer.from(frame, "utf8");
        return { slab: own, start: 0, end: own.length };
      }
      if (used + frame.length * 3 > slab.length) {
        slab = Buffer.allocUnsafeSlow(slabBytes);
        used = 0;
      }
      const start = used;
      used += slab.write(frame, start, "utf8");
      return { slab, start, end: used };
    },
  };
}
