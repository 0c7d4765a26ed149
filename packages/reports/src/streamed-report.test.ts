// StreamedReportBuilder: recommendations given a group at a time, in any order, give the files assembleReport and
// writeReportFiles give for the same recommendations, byte for byte; its runs and totals on their own.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { roundCents, type Recommendation } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test/support/temp-dir.js';
import { assembleReport, type ReportFieldsInput } from './build-report.js';
import { jsonItem } from './json-chunks.js';
import { RecommendationRuns } from './recommendation-runs.js';
import { csvItem } from './render-csv.js';
import { digestOf } from './report-digest.js';
import { REPORT_FORMATS, type ReportFormat } from './report-formats.js';
import { sortedBySavings } from './report-order.js';
import { TotalsTally } from './report-totals.js';
import { StreamedReportBuilder } from './streamed-report.js';
import { recommendation, reportInput, sampleActions } from './test-fixtures.js';
import { writeReportFiles, writeStreamedReport, type StreamedReport } from './write-report-files.js';

const tempDir = useTempDirs('finops-streamed-');

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function shuffled<T>(list: readonly T[], next: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Recommendations of every status across accounts, regions and checks, with savings that tie and half cents that
 * round differently depending on the order they are added in, some folded, one larger than every buffer.
 */
function estate(count: number, next: () => number): Recommendation[] {
  const statuses = ['open', 'open', 'open', 'open', 'suppressed', 'dismissed', 'resolved'] as const;
  const savings = [0.005, 0.015, 0.1, 0.2, 0.3, 1, 1.005, 12.345, 99.995, 250];
  const list = Array.from({ length: count }, (_, i) => {
    const status = statuses[Math.floor(next() * statuses.length)] as Recommendation['status'];
    return recommendation({
      status,
      checkId: ['ebs-unattached-volume', 'ec2-idle-instance', 'eip-unassociated'][i % 3] as string,
      accountId: ['111111111111', '222222222222', '333333333333'][Math.floor(next() * 3)] as string,
      region: ['us-east-1', 'eu-west-1'][Math.floor(next() * 2)] as string,
      monthlySavingsUsd: next() < 0.6 ? (savings[Math.floor(next() * savings.length)] as number) : Math.round(next() * 1e6) / 1000,
      reason: `reason ${i}: "quoted", ünïcode \u2028 and a line\nbreak`,
      tags: { Name: `=cmd|${i}`, team: 'a,b' },
      ...(status === 'suppressed' ? { suppression: { by: 'tag' as const, reason: 'tag finops:ignore' } } : {}),
      ...(status === 'resolved' ? { tracking: { firstSeenAt: '2026-11-01T00:00:00.000Z', lastSeenAt: '2026-11-20T00:00:00.000Z', seenCount: 3, resolvedAt: '2026-11-26T12:00:00.000Z' } } : {}),
    });
  });
  // Alternatives folded into an open recommendation on the same resource.
  for (let i = 1; i < list.length; i += 17) {
    const into = list[i - 1] as Recommendation;
    if (into.status === 'open' && list[i]?.status === 'open') list[i] = { ...(list[i] as Recommendation), foldedInto: into.id };
  }
  list.push(recommendation({ reason: 'ü→'.repeat(300_000), monthlySavingsUsd: 12.345 }));
  return list;
}

/** The report's other fields, with an actions section (rendered in md and html). */
function fields(): ReportFieldsInput {
  const { recommendations: _all, ...rest } = reportInput({ actions: sampleActions() });
  return rest;
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
}

/** The report written by the builder from `groups`, and as assembled in memory from all of them. */
async function bothWays(groups: readonly Recommendation[][], formats: readonly ReportFormat[]) {
  const streamedDir = await tempDir();
  const builder = await StreamedReportBuilder.create(streamedDir, formats);
  try {
    for (const group of groups) await builder.add(group);
    await writeStreamedReport(builder.report(fields()), streamedDir, formats);
  } finally {
    await builder.close();
  }
  const memoryDir = await tempDir();
  await writeReportFiles(assembleReport({ ...fields(), recommendations: groups.flat() }), memoryDir, formats);
  return { streamed: await filesOf(streamedDir), inMemory: await filesOf(memoryDir) };
}

describe('StreamedReportBuilder', () => {
  it('writes the files assembleReport and writeReportFiles write, from groups in any order, in every choice of formats', async () => {
    const next = random(7);
    const all = shuffled(estate(3000, next), next);
    // Groups of very different sizes, and empty ones.
    const groups = [all.slice(0, 1), [], all.slice(1, 400), all.slice(400, 2990), all.slice(2990)];
    for (const formats of [['json', 'md', 'csv', 'html'], ['md'], ['csv'], []] as ReportFormat[][]) {
      const { streamed, inMemory } = await bothWays(groups, formats);
      expect(Object.keys(streamed)).toEqual(Object.keys(inMemory));
      for (const name of Object.keys(inMemory)) expect(streamed[name], `${name} for ${formats.join(',') || 'json only'}`).toBe(inMemory[name]);
    }
  });

  it('writes a report with nothing in it as writeReportFiles does', async () => {
    const { streamed, inMemory } = await bothWays([[], []], ['md', 'csv', 'html']);
    expect(streamed).toEqual(inMemory);
    expect(streamed['report.json']).toContain('"recommendations": [],\n  "suppressed": [],');
  });

  it('refuses a recommendation that breaks the contract, naming it, and leaves no run behind', async () => {
    const dir = await tempDir();
    const builder = await StreamedReportBuilder.create(dir, ['csv']);
    const bad = recommendation({ monthlySavingsUsd: -1 });
    await expect(builder.add([recommendation(), bad])).rejects.toThrow(new RegExp(`recommendation ${bad.id} \\(111111111111/us-east-1\\) does not match report schema [\\s\\S]*at monthlySavingsUsd`));
    await builder.close();
    await builder.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('is written only in the formats it was built for', async () => {
    const dir = await tempDir();
    const builder = await StreamedReportBuilder.create(dir, []);
    await builder.add([recommendation()]);
    await expect(writeStreamedReport(builder.report(fields()), dir, ['csv'])).rejects.toThrow(/built for json: it cannot write json, csv/);
    await builder.close();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeStreamedReport', () => {
  it('writes nothing when a list holds other than its digest counts', async () => {
    const dir = await tempDir();
    const builder = await StreamedReportBuilder.create(dir, []);
    await builder.add([recommendation(), recommendation()]);
    const report = builder.report(fields());
    const short: StreamedReport = { digest: { ...report.digest, recommendations: { ...report.digest.recommendations, count: 3 } }, list: report.list };
    await expect(writeStreamedReport(short, dir, [])).rejects.toThrow(/recommendations list held 2 recommendations where its digest counts 3/);
    await builder.close();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('RecommendationRuns', () => {
  it('merges runs into one list in report order, the run added first first among equals', async () => {
    const next = random(3);
    const all = estate(500, next);
    const runs = await RecommendationRuns.create(await tempDir(), [(r) => r.id, csvItem.render, jsonItem.render]);
    const parts = [all.slice(0, 100), all.slice(100, 101), all.slice(101, 350), all.slice(350)].map((part) => sortedBySavings(part));
    for (const part of parts) await runs.add(part);
    expect(runs.count).toBe(all.length);
    const merged: string[][] = [];
    for await (const batch of runs.merged()) for (const pieces of batch) merged.push(pieces.map((p) => Buffer.from(p).toString('utf8')));
    expect(merged).toEqual(sortedBySavings(all).map((r) => [r.id, csvItem.render(r), jsonItem.render(r)]));
    await runs.close();
  });

  it('refuses a run out of report order, and anything after close()', async () => {
    const parent = await tempDir();
    const runs = await RecommendationRuns.create(parent, [(r) => r.id]);
    const [a, b] = [recommendation({ monthlySavingsUsd: 1 }), recommendation({ monthlySavingsUsd: 2 })];
    await expect(runs.add([a, b])).rejects.toThrow(`a run must be in report order (sortedBySavings): ${a.id} comes before ${b.id}`);
    await runs.close();
    await expect(runs.add([b, a])).rejects.toThrow(/added after close\(\)/);
    expect(await readdir(parent)).toEqual([]);
  });
});

describe('TotalsTally', () => {
  /** The totals as the report states them: every bucket added up in report order, rounded to cents at each step. */
  function inReportOrder(open: readonly Recommendation[]) {
    const counted = sortedBySavings(open).filter((r) => r.foldedInto === undefined);
    const bucket = (key: (r: Recommendation) => string) => {
      const out = new Map<string, { count: number; monthlySavingsUsd: number }>();
      for (const r of counted) {
        const b = out.get(key(r)) ?? { count: 0, monthlySavingsUsd: 0 };
        out.set(key(r), { count: b.count + 1, monthlySavingsUsd: roundCents(b.monthlySavingsUsd + r.monthlySavingsUsd) });
      }
      return out;
    };
    return {
      total: roundCents(counted.reduce((sum, r) => sum + r.monthlySavingsUsd, 0)),
      byCheck: bucket((r) => r.checkId),
      byAccount: bucket((r) => r.accountId),
    };
  }

  it('adds up in report order whatever order it is given, where half cents make the order matter', () => {
    const open = [1.005, 0.005, 0.005, 0.015, 1.005, 0.005].map((usd) => recommendation({ monthlySavingsUsd: usd }));
    const tally = new TotalsTally();
    for (const r of open) tally.add(r);
    const expected = inReportOrder(open);
    const totals = tally.totals();
    expect(totals.monthlySavingsUsd).toBe(expected.total);
    expect(totals.byCheck).toEqual(Object.fromEntries(expected.byCheck));
    // Given in this order and rounded as it came, the bucket would read 2.03: the order does matter here.
    expect(open.reduce((usd, r) => roundCents(usd + r.monthlySavingsUsd), 0)).not.toBe(totals.byCheck['ebs-unattached-volume']?.monthlySavingsUsd);

    const next = random(11);
    const many = estate(2000, next).filter((r) => r.status === 'open');
    const shuffledTally = new TotalsTally();
    for (const r of shuffled(many, next)) shuffledTally.add(r);
    const reference = inReportOrder(many);
    expect(shuffledTally.totals().monthlySavingsUsd).toBe(reference.total);
    expect(Object.entries(shuffledTally.totals().byAccount).sort()).toEqual([...reference.byAccount.entries()].sort());
    expect(shuffledTally.totals().recommendations).toBe(many.length);
  });
});

describe('report formats registry', () => {
  it('gives every format with list slots an item, and takes the lists once each, in report order', () => {
    const digest = digestOf(assembleReport(reportInput()));
    expect(digest.recommendations.count * digest.suppressed.count).toBeGreaterThan(0);
    for (const [name, spec] of Object.entries(REPORT_FORMATS)) {
      const slots = [...spec.layout(digest)].filter((part) => typeof part !== 'string').map((part) => (part as { list: string }).list);
      expect(slots.length === 0 || spec.item !== undefined, name).toBe(true);
      expect(['recommendations', 'suppressed'].filter((list) => slots.includes(list)), name).toEqual(slots);
    }
  });
});
