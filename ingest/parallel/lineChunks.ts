const NEWLINE = 0x0a;

/**
 * Gathers a stream of bytes into chunks of whole lines for worker threads: each chunk ends just after
 * the first newline at or after `size` bytes (so no line and no multi-byte character is split between
 * chunks), but for the last; a line longer than `size` makes its chunk grow until the line ends. Every
 * chunk lies in a buffer of its own, so posting it with its buffer transferred moves it without a copy.
 */
export class LineChunks {
  private buffer: Buffer;
  private length = 0;
  /** Where the last newline gathered is, -1 when there is none. */
  private lastNewline = -1;
  /** Buffers of chunks handed out before and given back, to be filled again. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(private readonly size: number) {
    this.buffer = this.allocate(2 * size);
  }

  /**
   * Takes back the buffer of a chunk handed out before, once its reader is done with it. Filling it
   * again costs less than a new buffer, whose memory the system must map and clear page by page.
   */
  recycle(buffer: ArrayBuffer): void {
    this.spare.push(buffer);
  }

  add(bytes: Uint8Array): void {
    const length = this.length + bytes.length;
    if (length > this.buffer.length) {
      const grown = this.allocate(Math.max(length, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    // only the new bytes are searched, so a long line costs no more than its length
    const newline = this.buffer.subarray(this.length, length).lastIndexOf(NEWLINE);
    if (newline !== -1) this.lastNewline = this.length + newline;
    this.length = length;
  }

  /** The bytes gathered and not yet taken. */
  gathered(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** The next chunk, up to the first newline at or after `size` bytes, once that newline is in; otherwise null. */
  take(): Uint8Array | null {
    if (this.lastNewline < this.size - 1) return null;
    return this.cut(this.buffer.indexOf(NEWLINE, this.size - 1) + 1);
  }

  /** All the bytes left, at the end of the stream (the last line may lack its newline); null when none are. */
  rest(): Uint8Array | null {
    return this.length === 0 ? null : this.cut(this.length);
  }

  private cut(end: number): Uint8Array {
    const chunk = this.buffer.subarray(0, end);
    const left = this.length - end;
    const next = this.allocate(Math.max(2 * this.size, left));
    this.buffer.copy(next, 0, end, this.length);
    this.buffer = next;
    this.length = left;
    this.lastNewline = this.lastNewline >= end ? this.lastNewline - end : -1;
    return chunk;
  }

  /**
   * A buffer of `capacity` bytes or more. Buffers start at twice the chunk size, so that the stream's
   * pieces seldom make one grow. None comes from Node's shared pool: a pooled buffer cannot be transferred.
   */
  private allocate(capacity: number): Buffer {
    const spare = this.spare.pop();
    return spare && spare.byteLength >= capacity ? Buffer.from(spare) : Buffer.allocUnsafeSlow(capacity);
  }
}
