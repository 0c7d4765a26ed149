// Markdown and CSV renderings: totals present, tables intact, CSV quoted per RFC 4180 and safe from formulas.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { csvField, renderCsv } from './render-csv.js';
import { renderMarkdown } from './render-markdown.js';
import { recommendation, reportInput } from './test-fixtures.js';

describe('renderMarkdown', () => {
  const report = buildReport(reportInput());
  const markdown = renderMarkdown(report);

  it('states the total savings and the totals by check, account and region', () => {
    expect(markdown).toContain('**Estimated savings: $75.38/month** from 4 open recommendation(s)');
    expect(markdown).toContain('| ec2-idle-instance | 1 | $70.08 |');
    expect(markdown).toContain('| ebs-unattached-volume | 3 | $5.30 |');
    expect(markdown).toContain('| 222222222222 | 1 | $70.08 |');
    expect(markdown).toContain('| eu-west-1 | 2 | $0.30 |');
    expect(markdown).toContain('| **Total** | **4** | **$75.38** |');
  });

  it('lists top recommendations, errors and API usage', () => {
    expect(markdown).toMatch(/\| 1 \| ec2-idle-instance \| i-0123456789abcdef0 .*\| \$70\.08 \|/);
    expect(markdown).toContain('| discovery | 222222222222 | eu-west-1 | ebs-volume | UnauthorizedOperation |');
    expect(markdown).toContain('- Calls: 8 (1 throttled)');
    expect(markdown).toContain('| cloudwatch.GetMetricData | 4 |');
    expect(markdown).toContain('- Suppressed, dismissed or resolved (not counted): 1');
    expect(markdown).toContain("- Estimated cost of this scan's API calls: $0.0003");
  });

  it('says which recommendations were folded and why suppressed ones are not counted', () => {
    const stop = recommendation({ id: 'rec_00000000000000d1', resourceId: 'i-9', checkId: 'ec2-idle-instance', monthlySavingsUsd: 70 });
    const resize = recommendation({ id: 'rec_00000000000000d2', resourceId: 'i-9', checkId: 'ec2-underutilized-instance', monthlySavingsUsd: 35, foldedInto: stop.id });
    const dismissed = recommendation({ status: 'dismissed', suppression: { by: 'dismissal', reason: 'kept for Q1', until: '2027-02-01T00:00:00.000Z' } });
    const built = buildReport(reportInput({ recommendations: [stop, resize, dismissed] }));
    const markdown = renderMarkdown(built);
    expect(markdown).toContain('- Folded (alternatives on a resource another recommendation already covers, not counted): 1, $35.00/month');
    expect(markdown).toContain('$35.00 (folded into rec_00000000000000d1)');
    expect(markdown).toContain('| **Total** | **1** | **$70.00** |');
    expect(markdown).toContain('| dismissed | ebs-unattached-volume |');
    expect(markdown).toContain('dismissal: kept for Q1 (until 2027-02-01)');
    const csv = renderCsv(built).split('\r\n');
    expect(csv[2]).toMatch(/,rec_00000000000000d1,,,$/);
    expect(csv[3]).toContain('dismissal: kept for Q1');
  });

  it('limits the table and points to the CSV for the rest', () => {
    expect(renderMarkdown(report, { top: 1 })).toContain('…and 3 more in recommendations.csv.');
  });

  it('keeps tables intact when names contain pipes or line breaks', () => {
    const tricky = buildReport(
      reportInput({ recommendations: [recommendation({ resourceName: 'a|b', reason: 'line one\nline two' })] }),
    );
    const row = renderMarkdown(tricky)
      .split('\n')
      .find((line) => line.startsWith('| 1 |'));
    expect(row).toContain('(a\\|b)');
    expect(row).toContain('line one line two');
  });

  it('says so when there is nothing to recommend', () => {
    const empty = renderMarkdown(buildReport(reportInput({ recommendations: [], errors: [] })));
    expect(empty).toContain('No open recommendations.');
    expect(empty).toContain('## Errors\n\nNone.');
  });
});

describe('renderCsv', () => {
  it('writes a header and one row per recommendation, suppressed included, with CRLF', () => {
    const csv = renderCsv(buildReport(reportInput()));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,status,checkId,accountId,region,resourceKind,resourceId,resourceName,monthlySavingsUsd,priceConfidence,risk,confidence,actionType,action,reason,tags,foldedInto,suppressedBy,firstSeenAt,seenCount',
    );
    expect(lines).toHaveLength(1 + 5 + 1); // header, 5 rows, empty string after the final CRLF
    expect(lines[1]).toMatch(/^rec_[0-9a-f]{16},open,ec2-idle-instance,222222222222,/);
    expect(lines[5]).toMatch(/,suppressed,/);
    expect(lines[1]).toContain(',70.08,');
  });

  it('quotes fields with commas, quotes and line breaks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('neutralizes cells that a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    const csv = renderCsv(buildReport(reportInput({ recommendations: [recommendation({ resourceName: '=cmd|"/c calc"!A1' })] })));
    expect(csv).toContain(`"'=cmd|""/c calc""!A1"`);
  });
});
