// Markdown and CSV renderings: totals present, tables intact, CSV quoted per RFC 4180 and safe from formulas.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { csvField, renderCsv } from './render-csv.js';
import { renderMarkdown } from './render-markdown.js';
import { HOSTILE_RESOURCE_ID, manyActionEntries, recommendation, reportInput, sampleActions } from './test-fixtures.js';

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

describe('renderMarkdown actions', () => {
  const input = reportInput();
  const withActions = renderMarkdown(buildReport({ ...input, actions: sampleActions() }));

  it('counts the entries by outcome and states the savings the applied actions resolved', () => {
    expect(withActions).toContain('- Since the previous scan: 2026-11-25T12:00:00.000Z → 2026-11-26T12:03:10.000Z');
    expect(withActions).toContain('- Audit entries: 9 — applied 2, partially applied 1, rolled back 1, failed 2, dry run 1, other 2 (approved 1, skipped 1)');
    expect(withActions).toContain('- **Savings resolved: $12.50/month** from 1 of 2 live action(s) applied whose waste this scan no longer finds');
  });

  it('lists the most recent entries with actor, action, resource, outcome and the reason of a failure', () => {
    expect(withActions).toContain('The 9 most recent, newest first:\n\n| When | Actor | Action | Resource | Outcome | Reason |');
    const rows = withActions.split('\n').filter((line) => line.startsWith('| 2026-'));
    expect(rows).toHaveLength(9);
    expect(rows[0]).toBe(
      '| 2026-11-26T11:00:00.000Z | schedule:nightly | ebs.delete-volume | 111111111111 / us-east-1 / vol-<img src=x onerror=alert(1)>\\|x | failed | UnauthorizedOperation: <b>not authorized</b> to perform ec2:DeleteVolume |',
    );
    expect(rows[1]).toBe(
      '| 2026-11-26T10:30:00.000Z | alice@laptop | ec2.resize-instance | 111111111111 / us-east-1 / i-0aaaaaaaaaaaaaaa1 | partially applied | InsufficientInstanceCapacity: no m6i.large capacity in us-east-1a |',
    );
    expect(rows[2]).toBe('| 2026-11-26T10:00:00.000Z | bob@ops | ec2.stop-instance | 111111111111 / us-east-1 / i-0bbbbbbbbbbbbbbb2 | rolled back |  |');
    expect(rows[3]).toContain('| rollback impossible | the volume was deleted; its snapshot snap-1 remains |');
    expect(rows[4]).toContain('| dry run (planned) |  |');
    expect(rows[8]).toBe('| 2026-11-26T08:00:00.000Z | alice@laptop | ec2.stop-instance | 222222222222 / us-east-1 / i-0ccccccccccccccc3 | already-applied |  |');
    expect(withActions).not.toContain('more in report.json');
  });

  it('bounds the table to the 20 most recent entries and points to report.json for the rest', () => {
    // Oldest first in the file: the table still starts with the newest.
    const entries = manyActionEntries(25).reverse();
    const markdown = renderMarkdown(buildReport(reportInput({ actions: sampleActions({ entries }) })));
    const rows = markdown.split('\n').filter((line) => line.startsWith('| 2026-'));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toContain('| 2026-11-26T11:59:00.000Z |');
    expect(rows[19]).toContain('| 2026-11-26T11:40:00.000Z |');
    expect(markdown).toContain('- Audit entries: 25 — applied 25, rolled back 0, failed 0, dry run 0');
    expect(markdown).toContain('…and 5 more in report.json (actions.entries).');
    expect(markdown).not.toContain(HOSTILE_RESOURCE_ID);
  });

  it('says in one line when nothing was done since the previous scan', () => {
    const markdown = renderMarkdown(buildReport(reportInput({ actions: sampleActions({ entries: [], applied: [], resolvedMonthlySavingsUsd: 0 }) })));
    expect(markdown).toContain('## Actions\n\nNo remediation since the previous scan.\n\n## Errors');
  });

  it('renders a report without the section as before', () => {
    const without = renderMarkdown(buildReport(input));
    expect(without).not.toContain('## Actions');
    expect(withActions.replace(/## Actions\n[\s\S]*?\n(?=## )/, '')).toBe(without);
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
