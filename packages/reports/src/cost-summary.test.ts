// The report's costs section: summary of a dataset (top services, regions, accounts, forecast), its absence, its Markdown.
import type { CostDataset } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { summarizeCosts } from './cost-summary.js';
import { renderMarkdown } from './render-markdown.js';
import { reportInput } from './test-fixtures.js';

const days = (values: number[]) => values.map((amountUsd, i) => ({ date: `2026-11-2${i}`, amountUsd }));
const DATASET: CostDataset = {
  fetchedAt: '2026-11-26T10:00:00.000Z',
  start: '2026-11-20',
  end: '2026-11-23',
  metric: 'NetUnblendedCost',
  series: {
    total: days([10, 20, 30.004]),
    'service:EC2': days([6, 12, 18]),
    'service:S3': days([1, 1, 1]),
    'service:AWS Lambda': days([3, 7, 11.004]),
    'region:us-east-1': days([10, 20, 30.004]),
    'account:111111111111': days([4, 8, 12]),
    'account:222222222222': days([6, 12, 18.004]),
  },
  breakdown: [],
  forecast: { start: '2026-11-26', end: '2026-12-01', amountUsd: 120.456, lowerUsd: 100, upperUsd: 140 },
  cached: true,
};

describe('summarizeCosts', () => {
  it('totals the period and lists the top services and every region and account, largest first', () => {
    expect(summarizeCosts(DATASET, { topN: 2 })).toEqual({
      available: true,
      start: '2026-11-20',
      end: '2026-11-23',
      metric: 'NetUnblendedCost',
      totalUsd: 60,
      byService: [
        { name: 'EC2', usd: 36 },
        { name: 'AWS Lambda', usd: 21 },
      ],
      byRegion: [{ name: 'us-east-1', usd: 60 }],
      byAccount: [
        { name: '222222222222', usd: 36 },
        { name: '111111111111', usd: 24 },
      ],
      forecast: { start: '2026-11-26', end: '2026-12-01', amountUsd: 120.46, lowerUsd: 100, upperUsd: 140 },
      cached: true,
      daily: [
        { date: '2026-11-20', usd: 10 },
        { date: '2026-11-21', usd: 20 },
        { date: '2026-11-22', usd: 30 },
      ],
    });
  });

  it('says why there is no data, and the report carries either form', () => {
    const none = summarizeCosts(undefined, { topN: 5, unavailableReason: 'Cost Explorer is not enabled' });
    expect(none).toMatchObject({ available: false, reason: 'Cost Explorer is not enabled', totalUsd: 0, byService: [] });
    expect(buildReport(reportInput({ costs: none })).costs).toEqual(none);
    expect(buildReport(reportInput({})).costs).toBeUndefined();
    expect(renderMarkdown(buildReport(reportInput({ costs: none })))).toContain('## Costs\n\nNot available: Cost Explorer is not enabled.');
  });

  it('renders the period, total, forecast and tables in Markdown', () => {
    const markdown = renderMarkdown(buildReport(reportInput({ costs: summarizeCosts(DATASET, { topN: 10 }) })));
    expect(markdown).toContain('- Period: 2026-11-20 → 2026-11-23 (end exclusive), NetUnblendedCost, from the shared cache');
    expect(markdown).toContain('- Total: **$60.00**');
    expect(markdown).toContain('- Forecast 2026-11-26 → 2026-12-01: $120.46 (80% interval $100.00–$140.00)');
    expect(markdown).toContain('| EC2 | $36.00 | 60.0% |');
    expect(markdown).toContain('| 222222222222 | $36.00 | 60.0% |');
  });
});
