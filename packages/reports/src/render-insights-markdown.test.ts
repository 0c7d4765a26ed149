// The anomalies and budgets of report.json: strict entries, and their Markdown with thresholds, units and notes.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { sampleAnomaly, sampleBudgets, sampleDetection } from './insights-fixtures.js';
import { renderMarkdown } from './render-markdown.js';
import { reportSchema } from './report-schema.js';
import { reportInput } from './test-fixtures.js';

describe('anomalies and budgets in the report', () => {
  const report = buildReport(reportInput({ anomalies: [sampleAnomaly], anomalyDetection: sampleDetection, budgets: sampleBudgets }));

  it('carries them through the contract and rejects malformed entries', () => {
    expect(reportSchema.parse(JSON.parse(JSON.stringify(report))).anomalies).toEqual([sampleAnomaly]);
    expect(report.budgets).toEqual(sampleBudgets);
    expect(reportSchema.safeParse({ ...report, anomalies: [{ ...sampleAnomaly, impactUsd: 1 }] }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, anomalies: [{ ...sampleAnomaly, severity: 'urgent' }] }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, budgets: [{ ...sampleBudgets[0], actualUsd: Number.NaN }] }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, anomalyDetection: { ...sampleDetection, unit: 'USD' } }).success).toBe(false);
  });

  it('renders anomalies with the unit, thresholds, root cause and series lacking history', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Cost anomalies');
    expect(md).toContain('Amounts in USD per day unless stated.');
    expect(md).toContain('more than $25.00 per day **and** more than 30%');
    expect(md).toContain('Amazon Elastic Compute Cloud - Compute in eu-west-1, account 111111111111, EU-BoxUsage:c5.4xlarge, +$410.00/day');
    expect(md).toContain('service:Amazon SageMaker (5 days)');
  });

  it('renders budgets with both forecasts, thresholds crossed, approval and the no-data note', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Budgets');
    expect(md).toContain('| Organization | organization | 2026-11 | $30,000.00 | $25,000.00 (83.3%) | $30,500.00 | $29,800.00 | 50%, 80% | 50%, 80%, 100% | required (pending) |');
    expect(md).toContain('- data-team: no data for tag scope "team"');
  });

  it('says nothing about anomalies when the scan did not evaluate them', () => {
    expect(renderMarkdown(buildReport(reportInput()))).not.toContain('## Cost anomalies');
  });
});
