// `finops report --type anomaly|budget` rendering, and `finops budgets approvals|approve|reject` on the run's Redis.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetPeriodOf, planApprovals, type BudgetStatus } from '@finops/budgets';
import { createRedisConnection } from '@finops/core';
import { InsightState } from '@finops/pipeline';
import { buildReport } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { sampleAnomaly, sampleBudgets, sampleDetection } from '../../../reports/src/insights-fixtures.js';
import { reportInput } from '../../../reports/src/test-fixtures.js';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { run } from '../program.js';
import { reportTypeFor } from '../report-types.js';
import { anomalyReport, budgetReport } from './report-insights.js';

describe('report types anomaly and budget', () => {
  const report = buildReport(reportInput({ anomalies: [sampleAnomaly], anomalyDetection: sampleDetection, budgets: sampleBudgets }));

  it('prints anomalies with unit, thresholds, impact, severity and root cause', () => {
    const { text, json } = anomalyReport.render(report);
    expect(text).toContain('Cost anomalies of scan scan-20261126-abc123: 1 (1 open), data 2026-08-28 → 2026-11-25. Amounts in USD per day unless stated.');
    expect(text).toContain('HIGH     open   2026-11-20 → 2026-11-25 (6 d)  service:Amazon Elastic Compute Cloud - Compute');
    expect(text).toContain('+$412.00/day over $600.00/day (+68.7%), $2,472.00 to date');
    expect(text).toContain('root cause: Amazon Elastic Compute Cloud - Compute in eu-west-1, account 111111111111, EU-BoxUsage:c5.4xlarge, +$410.00/day');
    expect(text).toContain('Not judged yet (less than 14 days of history): service:Amazon SageMaker (5 d)');
    expect(json).toEqual({ scanId: report.scanId, anomalyDetection: sampleDetection, anomalies: [sampleAnomaly] });
  });

  it('prints budgets with both forecasts, thresholds crossed, approval and notes', () => {
    const { text } = budgetReport.render(report);
    expect(text).toContain('org (Organization) — organization, monthly 2026-11');
    expect(text).toContain('forecast $30,500.00 (101.7%) from cost-explorer; Cost Explorer $30,500.00, platform $29,800.00 (-2.3%)');
    expect(text).toContain('crossed: actual 50%, 80%; forecast 50%, 80%, 100%');
    expect(text).toContain('approval required for remediation in scope: approval:org:2026-11-01 pending');
    expect(text).toContain('data-team in org — tag team=data, monthly 2026-11');
    expect(text).toContain('note: no data for tag scope "team"');
  });

  it('is registered for --type, and says when a report has no anomaly evaluation', () => {
    expect(reportTypeFor('anomaly')).toBe(anomalyReport);
    expect(reportTypeFor('budget')).toBe(budgetReport);
    expect(anomalyReport.render(buildReport(reportInput())).text).toContain('not evaluated');
  });
});

describe('finops budgets approvals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-budgets-'));
  const prefix = uniquePrefix('cli-budgets');
  const configFile = join(dir, 'config.yaml');
  const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'cli-budgets-test' });

  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      return { code: await run([...argv, '--config', configFile]), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  beforeAll(async () => {
    writeFileSync(configFile, stringify({ redis: { url: testRedisUrl(), prefix, managed: { enabled: false, useLocalDefault: false } }, logging: { level: 'warn' } }));
    // The sample organization budget (83% spent, approval from 80%) in the current month.
    const period = budgetPeriodOf('monthly', new Date().toISOString().slice(0, 10));
    const status = { ...(sampleBudgets[0] as unknown as BudgetStatus), periodStart: period.start, periodEnd: period.end, periodLabel: period.label };
    await new InsightState(redis, prefix).saveApprovals(planApprovals([status], [], new Date()).approvals);
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('lists requests, records a decision, and refuses an unknown id with the open ones named', async () => {
    const id = `approval:org:${budgetPeriodOf('monthly', new Date().toISOString().slice(0, 10)).start}`;
    expect((await cli('budgets', 'approvals')).stdout).toContain(`${id}  pending (holding remediation)`);
    const approved = await cli('budgets', 'approve', id, '--by', 'ops@example.com', '--json');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'approved', decidedBy: 'ops@example.com' });
    expect((await cli('budgets', 'approvals')).stdout).toContain(`${id}  approved`);
    const unknown = await cli('budgets', 'reject', 'approval:nope', '--by', 'ops');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`open requests: ${id}`);
  });
});
