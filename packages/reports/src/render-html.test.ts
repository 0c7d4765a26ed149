// renderHtml: one self-contained page, data escaped, sections by report type, numbers tied to report.json.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { niceTicks } from './html/svg-charts.js';
import { renderHtml } from './render-html.js';
import { renderReport } from './render-report.js';
import { HOSTILE_RESOURCE_ID, manyActionEntries, recommendation, reportInput, sampleActions } from './test-fixtures.js';

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

  describe('actions', () => {
    const input = reportInput();
    const withActions = renderHtml(buildReport({ ...input, actions: sampleActions() }));
    const section = /<section id="actions">[\s\S]*?<\/section>/.exec(withActions)?.[0] ?? '';

    it('counts the entries by outcome and ties the resolved savings to report.json', () => {
      expect(section).toContain('<h2>Actions since the previous scan</h2>');
      for (const [outcome, n] of [['applied', 2], ['partially-applied', 1], ['rolled-back', 1], ['failed', 2], ['dry-run', 1], ['other', 2]] as const) {
        expect(section).toContain(`data-outcome="${outcome}" data-value="${n}">${n}<`);
      }
      expect(section).toContain('Other: approved 1, skipped 1.');
      expect(section).toContain('data-json-path="actions.resolvedMonthlySavingsUsd" data-value="12.5">$12.50<');
      expect(section).toContain('From 1 of 2 live action(s) applied whose waste this scan no longer finds.');
    });

    it('lists the most recent entries and escapes what came from the account', () => {
      expect(section).toContain('<h3>The 9 most recent, newest first</h3>');
      expect(section.match(/<tr><td>2026-/g)).toHaveLength(9);
      expect(section).toContain(
        '<tr><td>2026-11-26T11:00:00.000Z</td><td>schedule:nightly</td><td><code>ebs.delete-volume</code></td><td>111111111111 us-east-1<br><code>vol-&lt;img src=x onerror=alert(1)&gt;|x</code></td><td class="outcome-failed">failed</td><td class="reason">UnauthorizedOperation: &lt;b&gt;not authorized&lt;/b&gt; to perform ec2:DeleteVolume</td></tr>',
      );
      expect(section).toContain('<td class="outcome-partially-applied">partially applied</td><td class="reason">InsufficientInstanceCapacity: no m6i.large capacity in us-east-1a</td>');
      expect(section).toContain('<td class="outcome-rolled-back">rolled back</td><td class="reason"></td>');
      expect(withActions).not.toContain(HOSTILE_RESOURCE_ID);
      expect(withActions).not.toMatch(/<img|<b>/);
    });

    it('bounds the table to the 20 most recent and leaves out a partially applied count of 0', () => {
      const html = renderHtml(buildReport(reportInput({ actions: sampleActions({ entries: manyActionEntries(23).reverse() }) })));
      expect(html.match(/<tr><td>2026-/g)).toHaveLength(20);
      expect(html).toContain('<tr><td>2026-11-26T11:59:00.000Z</td>');
      expect(html).not.toContain('<tr><td>2026-11-26T11:39:00.000Z</td>');
      expect(html).toContain('…and 3 more in report.json (actions.entries).');
      expect(html).toContain('data-outcome="applied" data-value="23"');
      expect(html).not.toContain('data-outcome="partially-applied"');
    });

    it('says in one line when nothing was done, and shows the section with the optimization sections only', () => {
      const empty = buildReport(reportInput({ actions: sampleActions({ entries: [], applied: [], resolvedMonthlySavingsUsd: 0 }) }));
      expect(renderHtml(empty)).toContain('<section id="actions"><h2>Actions since the previous scan</h2><p class="empty">No remediation since the previous scan.</p></section>');
      expect(renderHtml(empty, { type: 'budget' })).not.toContain('id="actions"');
    });

    it('renders a report without the section as before', () => {
      const without = renderHtml(buildReport(input));
      expect(without).not.toContain('id="actions"');
      expect(withActions.replace(/<section id="actions">[\s\S]*?<\/section>\n/, '')).toBe(without);
    });
  });
});
