// Lists of recommendations too large to hold at once: each written in report order to a file of its own (a run), as
// its files will carry it, then read back as one list in report order by merging the runs through a small buffer each.
import { mkdir, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Recommendation } from '@finops/core';
import { PieceWriter } from './piece-writer.js';
import { compareReportOrder, compareSavingsAndId } from './report-order.js';

/** A recommendation as each of a report's list-carrying formats writes it: one piece per format. */
export type RenderedRecommendation = readonly (string | Uint8Array)[];

/** Bytes of read buffer shared by the runs of one merge: 16 runs read 64 KiB at a time, 512 runs 16 KiB. */
const MERGE_READ_BYTES = 8 << 20;
const MIN_RUN_READ_BYTES = 16 << 10;
const MAX_RUN_READ_BYTES = 64 << 10;

/** Recommendations a merge hands out at a time. */
const BATCH = 256;

/**
 * A record of a run: its length (u32, the bytes after it), the recommendation's saving (f64) and id (u16 length,
 * UTF-8), then each rendering (u32 length, UTF-8). All little-endian. The renderings are bytes ready to write: a
 * merge compares the saving and id and copies the rest.
 */
const LENGTH_BYTES = 4;

/** One record: the sort key, and the renderings (views of a copy of the record's bytes). */
interface RunRecord {
  savings: number;
  id: string;
  pieces: Uint8Array[];
}

/** One run being read: its current record (`head`), decoded when reached. */
class RunReader {
  head: RunRecord | undefined;
  private buffer: Buffer;
  private start = 0;
  private end = 0;
  private ended = false;

  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    readonly index: number,
    readBytes: number,
  ) {
    this.buffer = Buffer.allocUnsafe(readBytes);
  }

  /** Moves `head` to the run's next record: undefined past its last. */
  async next(): Promise<void> {
    if (!(await this.hold(LENGTH_BYTES))) {
      this.head = undefined;
      return;
    }
    const length = this.buffer.readUInt32LE(this.start);
    if (!(await this.hold(LENGTH_BYTES + length))) throw new Error(`${this.path}: the run ends inside a record (written by another process, or cut short)`);
    // A copy of its own: the buffer is reused while the pieces wait to be written.
    const record = Buffer.from(this.buffer.subarray(this.start + LENGTH_BYTES, this.start + LENGTH_BYTES + length));
    this.start += LENGTH_BYTES + length;
    const savings = record.readDoubleLE(0);
    const idBytes = record.readUInt16LE(8);
    const id = record.toString('utf8', 10, 10 + idBytes);
    const pieces: Uint8Array[] = [];
    for (let at = 10 + idBytes; at < record.length; ) {
      const bytes = record.readUInt32LE(at);
      pieces.push(record.subarray(at + 4, at + 4 + bytes));
      at += 4 + bytes;
    }
    this.head = { savings, id, pieces };
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /** Whether `bytes` bytes from `start` are in the buffer, reading (and growing it) as needed; false at a clean end. */
  private async hold(bytes: number): Promise<boolean> {
    while (this.end - this.start < bytes) {
      if (this.ended) {
        if (this.end > this.start) throw new Error(`${this.path}: the run ends inside a record (written by another process, or cut short)`);
        return false;
      }
      if (this.start > 0) {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      if (bytes > this.buffer.length) {
        const larger = Buffer.allocUnsafe(Math.max(bytes, this.buffer.length * 2));
        this.buffer.copy(larger, 0, 0, this.end);
        this.buffer = larger;
      }
      const { bytesRead } = await this.file.read(this.buffer, this.end, this.buffer.length - this.end, null);
      if (bytesRead === 0) this.ended = true;
      this.end += bytesRead;
    }
    return true;
  }
}

/** Report order of the runs' heads (the larger saving, then the smaller id); among equals, the run added first. */
function before(a: RunReader, b: RunReader): boolean {
  const x = a.head as RunRecord;
  const y = b.head as RunRecord;
  return (compareSavingsAndId(x.savings, x.id, y.savings, y.id) || a.index - b.index) < 0;
}

/** Restores the order of `heap` (a binary min-heap of readers) from its root down. */
function siftDown(heap: RunReader[]): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    const child = right < heap.length && before(heap[right] as RunReader, heap[left] as RunReader) ? right : left;
    if (!before(heap[child] as RunReader, heap[i] as RunReader)) return;
    [heap[i], heap[child]] = [heap[child] as RunReader, heap[i] as RunReader];
    i = child;
  }
}

/**
 * Recommendations written to disk a list at a time, each list in report order (a run), rendered as the report's
 * files will carry them (`renderers`, one piece each), and read back as one list in report order: a k-way merge
 * that holds one record and a small read buffer per run, however long the runs, and copies the renderings without
 * parsing them again. The runs live in a directory of their own, removed by `close()`.
 *
 * @example
 * const runs = await RecommendationRuns.create(reportDir, [jsonItem.render, csvItem.render]);
 * for (const partition of partitions) await runs.add(sortedBySavings(partition));
 * for await (const batch of runs.merged()) for (const [json, csv] of batch) write(json, csv);
 * await runs.close();
 */
export class RecommendationRuns {
  private readonly paths: string[] = [];
  private added = 0;
  private closing?: Promise<void>;
  private scratch = Buffer.allocUnsafe(64 << 10);

  private constructor(
    private readonly dir: string,
    private readonly renderers: readonly ((r: Recommendation) => string)[],
  ) {}

  /** Runs in a new hidden directory under `parent` (created when missing). */
  static async create(parent: string, renderers: readonly ((r: Recommendation) => string)[]): Promise<RecommendationRuns> {
    await mkdir(parent, { recursive: true });
    return new RecommendationRuns(await mkdtemp(join(parent, '.report-runs-')), renderers);
  }

  /** How many recommendations the runs hold. */
  get count(): number {
    return this.added;
  }

  /** Renders a list, which must be in report order, and writes it as a run of its own; an empty list adds none. */
  async add(run: readonly Recommendation[]): Promise<void> {
    if (this.closing) throw new Error(`${this.dir}: recommendation runs added after close()`);
    for (let i = 1; i < run.length; i++) {
      if (compareReportOrder(run[i - 1] as Recommendation, run[i] as Recommendation) > 0) {
        throw new Error(`a run must be in report order (sortedBySavings): ${run[i - 1]?.id} comes before ${run[i]?.id}`);
      }
    }
    if (run.length === 0) return;
    const path = join(this.dir, `${this.paths.length}.run`);
    const file = await open(path, 'wx');
    try {
      const writer = new PieceWriter(file);
      for (const r of run) {
        const flushed = writer.write(this.encode(r));
        if (flushed) await flushed;
      }
      await writer.flush();
    } finally {
      await file.close();
    }
    this.paths.push(path);
    this.added += run.length;
  }

  /**
   * Every run's recommendations in report order, `BATCH` at a time, each as its renderings. Read it once, after the
   * last `add`.
   */
  async *merged(): AsyncGenerator<RenderedRecommendation[]> {
    const readBytes = Math.min(MAX_RUN_READ_BYTES, Math.max(MIN_RUN_READ_BYTES, Math.floor(MERGE_READ_BYTES / Math.max(1, this.paths.length))));
    const readers: RunReader[] = [];
    try {
      for (const [index, path] of this.paths.entries()) readers.push(new RunReader(await open(path, 'r'), path, index, readBytes));
      for (const reader of readers) await reader.next();
      // Sorted is a valid heap.
      const heap = readers.filter((r) => r.head !== undefined).sort((a, b) => (before(a, b) ? -1 : 1));
      let batch: RenderedRecommendation[] = [];
      while (heap.length > 0) {
        const top = heap[0] as RunReader;
        batch.push((top.head as RunRecord).pieces);
        await top.next();
        if (top.head === undefined) {
          const last = heap.pop() as RunReader;
          if (heap.length > 0) heap[0] = last;
        }
        siftDown(heap);
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await Promise.all(readers.map((r) => r.close()));
    }
  }

  /** Removes the runs from disk; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= rm(this.dir, { recursive: true, force: true });
    return this.closing;
  }

  /** One record's bytes, in the scratch buffer (grown to fit). */
  private encode(r: Recommendation): Uint8Array {
    const pieces = this.renderers.map((render) => render(r));
    const worst = LENGTH_BYTES + 10 + r.id.length * 3 + pieces.reduce((sum, piece) => sum + 4 + piece.length * 3, 0);
    if (worst > this.scratch.length) this.scratch = Buffer.allocUnsafe(worst * 2);
    const out = this.scratch;
    let at = LENGTH_BYTES;
    out.writeDoubleLE(r.monthlySavingsUsd, at);
    const idBytes = out.write(r.id, at + 10, 'utf8');
    out.writeUInt16LE(idBytes, at + 8);
    at += 10 + idBytes;
    for (const piece of pieces) {
      const bytes = out.write(piece, at + 4, 'utf8');
      out.writeUInt32LE(bytes, at);
      at += 4 + bytes;
    }
    out.writeUInt32LE(at - LENGTH_BYTES, 0);
    return out.subarray(0, at);
  }
}
