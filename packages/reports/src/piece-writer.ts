// Text written to a file in pieces through one reused buffer: few system calls, and no large string however large the file.
import type { FileHandle } from 'node:fs/promises';

/** Pieces are encoded into a buffer of this many bytes, written out when full. */
const WRITE_BUFFER_BYTES = 1 << 20;

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** The most bytes a piece can take in the buffer. */
function worstBytes(piece: string | Uint8Array): number {
  return typeof piece === 'string' ? piece.length * MAX_UTF8_BYTES_PER_UNIT : piece.length;
}

async function writeAll(file: FileHandle, bytes: Uint8Array, length: number): Promise<void> {
  for (let offset = 0; offset < length; ) offset += (await file.write(bytes, offset, length - offset)).bytesWritten;
}

/**
 * Writes pieces of text (UTF-8) or bytes to an open file. `write` returns a promise only when it had to write the buffer out
 * (await it before the next write), so a loop over many small pieces does not wait on each.
 *
 * @example const out = new PieceWriter(file); for (const piece of pieces) await out.write(piece); await out.flush();
 */
export class PieceWriter {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly file: FileHandle,
    bufferBytes = WRITE_BUFFER_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  write(piece: string | Uint8Array): Promise<void> | undefined {
    // Room for the worst case, so Buffer#write never cuts a piece short.
    if (worstBytes(piece) > this.buffer.length - this.used) return this.writeAfterFlush(piece);
    this.put(piece);
    return undefined;
  }

  /** Writes out what the buffer holds. */
  async flush(): Promise<void> {
    await writeAll(this.file, this.buffer, this.used);
    this.used = 0;
  }

  private async writeAfterFlush(piece: string | Uint8Array): Promise<void> {
    await this.flush();
    if (worstBytes(piece) <= this.buffer.length) {
      this.put(piece);
      return;
    }
    const whole = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    await writeAll(this.file, whole, whole.length);
  }

  /** Copies a piece into the buffer, which has room for it. */
  private put(piece: string | Uint8Array): void {
    if (typeof piece === 'string') this.used += this.buffer.write(piece, this.used, 'utf8');
    else {
      this.buffer.set(piece, this.used);
      this.used += piece.length;
    }
  }
}
