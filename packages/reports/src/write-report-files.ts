// Writes a report's files into a directory, each atomically (temp file + rename): readers never see half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Recommendation } from '@finops/core';
import type { ListSlot } from './file-layout.js';
import { PieceWriter } from './piece-writer.js';
import type { RenderedRecommendation } from './recommendation-runs.js';
import { REPORT_LISTS, digestOf, type ReportDigest, type ReportListName } from './report-digest.js';
import { REPORT_FORMATS, formatsToWrite, itemOf, type ReportFormat } from './report-formats.js';
import type { Report } from './report-schema.js';
import { assertValidDigest, assertValidReport } from './validate-report.js';

/**
 * A report whose lists are read as its files are written, not held: its digest, and each list in report order, in
 * batches, each recommendation as the items of `formats` render it (a piece per format, in that order) — exactly as
 * many as the digest counts. Each list is read once.
 */
export interface StreamedReport {
  digest: ReportDigest;
  list(name: ReportListName, formats: readonly ReportFormat[]): AsyncIterable<readonly RenderedRecommendation[]>;
}

/** One file being written: where its layout stands, and its temp file. */
interface Output {
  format: ReportFormat;
  path: string;
  temp: string;
  file?: FileHandle;
  writer?: PieceWriter;
  parts: Iterator<string | ListSlot>;
  /** The list the file waits for; undefined once its layout is written to the end. */
  waits?: ReportListName;
}

/** Writes a file's text up to its next slot (or its end). */
async function advance(output: Output): Promise<void> {
  const writer = output.writer as PieceWriter;
  for (let next = output.parts.next(); !next.done; next = output.parts.next()) {
    if (typeof next.value !== 'string') {
      output.waits = next.value.list;
      return;
    }
    const flushed = writer.write(next.value);
    if (flushed) await flushed;
  }
  output.waits = undefined;
}

/** Fills the slots of list `name` in every file waiting for it, reading the list once. */
async function writeList(outputs: readonly Output[], name: ReportListName, report: StreamedReport): Promise<void> {
  const waiting = outputs.filter((o) => o.waits === name);
  if (waiting.length === 0) return;
  const separators = waiting.map((o) => itemOf(o.format).separator);
  const count = report.digest[name].count;
  let index = 0;
  for await (const batch of report.list(name, waiting.map((o) => o.format))) {
    for (const pieces of batch) {
      for (let i = 0; i < waiting.length; i++) {
        const writer = (waiting[i] as Output).writer as PieceWriter;
        if (index > 0) {
          const flushed = writer.write(separators[i] as string);
          if (flushed) await flushed;
        }
        const flushed = writer.write(pieces[i] as string | Uint8Array);
        if (flushed) await flushed;
      }
      index += 1;
    }
  }
  if (index !== count) throw new Error(`report ${report.digest.scanId}: its ${name} list held ${index} recommendations where its digest counts ${count}`);
  for (const output of waiting) await advance(output);
}

async function writeFiles(report: StreamedReport, dir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const outputs: Output[] = formatsToWrite(formats).map((format) => {
    const path = join(target, REPORT_FORMATS[format].fileName);
    return { format, path, temp: `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`, parts: REPORT_FORMATS[format].layout(report.digest)[Symbol.iterator]() };
  });
  try {
    for (const output of outputs) {
      output.file = await open(output.temp, 'w');
      output.writer = new PieceWriter(output.file);
      await advance(output);
    }
    for (const name of REPORT_LISTS) await writeList(outputs, name, report);
    const stuck = outputs.find((o) => o.waits);
    if (stuck) throw new Error(`format ${stuck.format}: its layout has a second ${stuck.waits} slot, or its lists out of order (recommendations, then suppressed)`);
    for (const output of outputs) {
      await (output.writer as PieceWriter).flush();
      const file = output.file as FileHandle;
      output.file = undefined;
      await file.close();
    }
    // Renamed only once every file is whole: a report that fails half-way leaves the earlier run's files as they were.
    for (const output of outputs) await rename(output.temp, output.path);
    return outputs.map((o) => o.path);
  } catch (error) {
    for (const output of outputs) {
      await output.file?.close().catch(() => undefined);
      await rm(output.temp, { force: true });
    }
    throw error;
  }
}

/** Recommendations rendered as they are handed out, a few at a time: a list in memory is never rendered whole. */
async function* renderedInBatches(list: readonly Recommendation[], formats: readonly ReportFormat[]): AsyncGenerator<RenderedRecommendation[]> {
  const renderers = formats.map((format) => itemOf(format).render);
  for (let start = 0; start < list.length; start += 256) {
    yield list.slice(start, start + 256).map((r) => renderers.map((render) => render(r)));
  }
}

/**
 * Writes report.json (always) and the other requested formats into `dir`, creating it. Each file is written in
 * pieces, all of them in one pass over the report's lists, so a report of 100k recommendations never becomes one
 * string in memory. Returns the absolute paths written, json first.
 * @example await writeReportFiles(report, 'reports/scan-1', ['md', 'csv'])
 */
export async function writeReportFiles(report: Report, dir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  // A report that breaks the contract must not reach disk, whoever built it.
  assertValidReport(report);
  return writeFiles({ digest: digestOf(report), list: (name, listFormats) => renderedInBatches(report[name], listFormats) }, dir, formats);
}

/**
 * writeReportFiles for a report whose lists are read from disk as the files are written (StreamedReportBuilder):
 * its digest is checked against the contract first, and each recommendation was checked as it was added.
 */
export async function writeStreamedReport(report: StreamedReport, dir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  assertValidDigest(report.digest);
  return writeFiles(report, dir, formats);
}
