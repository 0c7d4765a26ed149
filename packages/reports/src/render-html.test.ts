// renderHtml: one self-contained page, data escaped, sections by report type, numbers tied to report.json.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { niceTicks } from './html/svg-charts.js';
import { renderHtml } from './render-html.js';
import { renderReport } from './render-report.js';
import { recommendation, reportInput } from './test-fixtures.js';

describe('renderHtml', () => {
  const base = reportInput().recommendations;
  const report = buildReport(reportInput({ recommendations: [...base, recommendation({ resourceName: '<script>alert(1)</script>' })] }));
  const html = renderHtml(report);

  it('needs nothing from the network: no script, no external URL, a CSP that forbids fetches', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|@import|src="http|href="http|url\(http/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes every value that comes from the account', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('ties the headline numbers to report.json', () => {
    expect(html).toContain(`data-json-path="totals.monthlySavingsUsd" data-value="${report.totals.monthlySavingsUsd}">$80.38<`);
    expect(html).toContain('data-json-path="totals.byCheck[&quot;ec2-idle-instance&quot;].monthlySavingsUsd" data-value="70.08"');
  });

  it('shows the sections of a report type and says when data is missing', () => {
    const budget = renderHtml(report, { type: 'budget' });
    expect(budget).toContain('id="budgets"');
    expect(budget).toContain('No budgets configured.');
    expect(budget).not.toContain('id="recommendations"');
    expect(renderHtml(report, { type: 'anomaly' })).toContain('This report has no daily cost data');
    expect(renderHtml(report, { type: 'discovery' })).toContain('id="inventory"');
  });

  it('renders through renderReport with a selection and the diff against a previous scan', () => {
    const previous = buildReport(reportInput({ scanId: 'scan-before', recommendations: base.slice(0, 2) }));
    const rendered = renderReport(report, 'html', { regions: ['us-east-1'], previous });
    expect(rendered.contentType).toBe('text/html; charset=utf-8');
    expect(rendered.report.regions).toEqual(['us-east-1']);
    expect(rendered.content).toContain('Changes since scan scan-before');
    expect(rendered.diff?.new.map((r) => r.resourceName)).toEqual(['<script>alert(1)</script>']);
  });

  it('picks round axis ticks', () => {
    expect(niceTicks(0, 780)).toEqual([0, 200, 400, 600, 800]);
    expect(niceTicks(-1664, 11500)).toEqual([-5000, 0, 5000, 10000, 15000]);
  });
});
