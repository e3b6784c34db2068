// An answer's bytes, written as they are rendered into one growing buffer. Why not one string: an
// answer built by `+=` is a rope of every piece (a 1,000-step tree: ~1.5 MB in ~100k pieces) that
// stays alive until the end, so every young-generation GC copies it, and it is flattened and
// encoded once more to be sent. Measured on the tree's pieces in isolation: ~13–18 ms as one rope
// then Buffer.from, ~1.2 ms as one small rope per step written here (BENCHMARKS.md, sixth round).
// So renderers build a row's text as a string and write it; a list never becomes one string.

export class AnswerWriter {
  private buffer: Buffer;
  private at = 0;

  constructor(size = 4096) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Appends `text` (any string: written as UTF-8). */
  write(text: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8.
    if (this.buffer.length - this.at < text.length * 3) this.grow(text.length * 3);
    this.at += this.buffer.write(text, this.at);
  }

  /** What was written (a view of the buffer: write nothing more once it is given away). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  private grow(needed: number) {
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + needed));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
  }
}

/** Writes one part of an answer (an object, a connection, a root field's value). */
export type Write<T> = (value: T, w: AnswerWriter) => void;
