// Writes a report's files into a directory, each atomically (temp file + rename): readers never see half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPORT_FORMATS } from './report-formats.js';
import type { ReportFormat } from './report-formats.js';
import type { Report } from './report-schema.js';
import { assertValidReport } from './validate-report.js';

/**
 * Pieces are encoded into one reused buffer of this many bytes, written out when full: few system calls, and no
 * large string (V8 keeps those until a full collection) however large the file.
 */
const WRITE_BUFFER_BYTES = 1 << 20;

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

async function writeAll(file: FileHandle, bytes: Buffer, length: number): Promise<void> {
  for (let offset = 0; offset < length; ) offset += (await file.write(bytes, offset, length - offset)).bytesWritten;
}

async function writePieces(file: FileHandle, pieces: Iterable<string>): Promise<void> {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // Room for the worst case, so Buffer#write never cuts a piece short.
    const worstCase = piece.length * MAX_UTF8_BYTES_PER_UNIT;
    if (worstCase > buffer.length - used) {
      await writeAll(file, buffer, used);
      used = 0;
      if (worstCase > buffer.length) {
        const bytes = Buffer.from(piece, 'utf8');
        await writeAll(file, bytes, bytes.length);
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  await writeAll(file, buffer, used);
}

async function writeAtomic(path: string, pieces: Iterable<string>): Promise<void> {
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    const file = await open(temp, 'w');
    try {
      await writePieces(file, pieces);
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes report.json (always) and the other requested formats into `dir`, creating it. Each file is written in
 * pieces, one format at a time, so a report of 100k recommendations never becomes one string in memory.
 * Returns the absolute paths written, json first.
 * @example await writeReportFiles(report, 'reports/scan-1', ['md', 'csv'])
 */
export async function writeReportFiles(report: Report, dir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  // A report that breaks the contract must not reach disk, whoever built it.
  assertValidReport(report);
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const wanted = new Set<ReportFormat>(['json', ...formats]);
  const written: string[] = [];
  for (const format of Object.keys(REPORT_FORMATS) as ReportFormat[]) {
    if (!wanted.has(format)) continue;
    const spec = REPORT_FORMATS[format];
    const path = join(target, spec.fileName);
    await writeAtomic(path, spec.chunks(report));
    written.push(path);
  }
  return written;
}
