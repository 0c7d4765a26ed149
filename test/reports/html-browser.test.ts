// report.html in a real browser (Debian's chromium driven by playwright-core): it opens offline without console
// errors, its charts have content, and every number it shows equals the one in report.json. Screenshot kept in
// test-results/report-html.png.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatUsd, writeReportFiles, type Report } from '@finops/reports';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { richReport } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium before the tests`);
  console.warn(`skipping the HTML report browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

/** The value at a path such as `totals.byCheck["ec2-idle-instance"].monthlySavingsUsd` or `anomalies.length`. */
function at(value: unknown, path: string): unknown {
  const parts = [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
  return parts.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)?.[key], value);
}

describe.skipIf(!available)('report.html in chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-html-'));
  const report = richReport();
  let context: BrowserContext;
  let page: Page;
  let json: Report;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    await writeReportFiles(report, dir, ['json', 'html']);
    json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    // A new, empty profile directory for this run; no network at all: the page must open from the file alone.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      offline: true,
      viewport: { width: 1200, height: 900 },
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    if (page) {
      const out = resolve('test-results');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'report-html.png'), fullPage: true });
    }
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from the file alone, without console errors or any request', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('draws the daily cost trend with every day and every anomaly marked', async () => {
    const chart = page.locator('svg[data-chart="cost-trend-chart"]');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(100);
    const points = await chart.locator('.series.cost circle.point').count();
    expect(points).toBe(json.costs?.daily?.length);
    expect(await chart.locator('.series.cost path.line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+){29}$/);
    const marked = await chart.locator('circle.anomaly-marker').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-anomaly-index'))));
    expect(marked.sort()).toEqual(json.anomalies.map((_, i) => i));
    expect(await chart.locator('rect.anomaly-band').count()).toBe(json.anomalies.filter((a) => a.latestDate > a.startDate).length);
  });

  it('draws savings by check, account and region with one visible bar per bucket', async () => {
    for (const [id, buckets] of [
      ['savings-by-check', json.totals.byCheck],
      ['savings-by-account', json.totals.byAccount],
      ['savings-by-region', json.totals.byRegion],
    ] as const) {
      const bars = page.locator(`svg[data-chart="${id}"] rect.bar`);
      expect(await bars.count(), id).toBe(Object.keys(buckets).length);
      const widths = await bars.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      for (const w of widths) expect(w).toBeGreaterThan(0);
      const values = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
      expect(values).toEqual(Object.values(buckets).map((b) => b.monthlySavingsUsd));
    }
  });

  it('draws a budget burn-down with its forecast for every budget with actuals', async () => {
    const charted = json.budgets.filter((b) => b.actualUsd !== null);
    expect(await page.locator('svg.burn-down').count()).toBe(charted.length);
    for (const [i] of charted.entries()) {
      const chart = page.locator(`svg[data-chart="burn-down-${i}"]`);
      expect(await chart.locator('path.burn').getAttribute('d')).toMatch(/^M.+L/);
      expect(await chart.locator('path.forecast').count()).toBe(1);
    }
    // The platform budget is forecast over its amount: the forecast line ends below zero, drawn as overspend.
    expect(await page.locator('svg[data-chart="burn-down-0"] path.forecast.over').count()).toBe(1);
  });

  it('lists the top 20 recommendations, largest saving first', async () => {
    const rows = page.locator('#recommendations tbody tr');
    expect(await rows.count()).toBe(20);
    expect(await rows.first().locator('td').nth(1).innerText()).toBe(json.recommendations[0].checkId);
    await expect(page.locator('#recommendations').innerText()).resolves.toContain(`…and ${json.recommendations.length - 20} more in recommendations.csv.`);
  });

  it('shows exactly the numbers of report.json', async () => {
    const shown = await page.locator('[data-json-path]').evaluateAll((els) =>
      els.map((e) => ({
        path: e.getAttribute('data-json-path')!,
        value: Number(e.getAttribute('data-value')),
        text: (e.textContent ?? '').trim(),
        inChart: e.closest('svg') !== null,
      })),
    );
    expect(shown.length).toBeGreaterThan(80);
    for (const { path, value, text, inChart } of shown) {
      const expected = at(json, path);
      expect(value, path).toBe(expected);
      const formatted = /(Usd[A-Za-z]*|\.usd)$/.test(path) ? formatUsd(expected as number) : String(expected);
      // A table cell or card shows the number alone; a chart label or tooltip shows it within a phrase.
      if (inChart) expect(text, path).toContain(formatted);
      else expect(text, path).toBe(formatted);
    }
    const paths = new Set(shown.map((s) => s.path));
    for (const path of ['totals.monthlySavingsUsd', 'totals.recommendations', 'inventory.total', 'anomalies.length', 'budgets.length', 'budgets[0].forecastUsd', 'anomalies[0].impactUsdToDate', 'recommendations[19].monthlySavingsUsd']) {
      expect(paths, path).toContain(path);
    }
  });
});
