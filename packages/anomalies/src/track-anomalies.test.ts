// Tracking across evaluations and alert-once: ids stay, open anomalies close, alerts fire on open and escalation only.
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { detectAnomalies } from './detect-anomalies.js';
import type { InsightAlert } from './insight-alert.js';
import { planAnomalyAlerts } from './plan-anomaly-alerts.js';
import { anomalySettings, datasetFromCells, shapedSeries, totalOnly, truncateDataset, withExtra } from './test-support.js';
import { anomalyId, trackAnomalies, type TrackedAnomaly } from './track-anomalies.js';

const START = '2025-01-06';
const settings = anomalySettings();

/** One evaluation as the pipeline runs it: detect, track against the previous state, plan alerts. */
function evaluate(previous: TrackedAnomaly[], dataset: ReturnType<typeof totalOnly>, day: number): { tracked: TrackedAnomaly[]; alerts: InsightAlert[] } {
  const detection = detectAnomalies(dataset, settings);
  const now = new Date(`${addDays(START, day)}T08:00:00Z`);
  const { tracked, touched } = trackAnomalies(previous, detection, now);
  return planAnomalyAlerts(tracked, { touched, latestDay: detection.latestDay, now }, settings);
}

describe('trackAnomalies and planAnomalyAlerts', () => {
  // $1,000/day; +$600 on day 80 (high), +$1,300 on days 81–82 (critical on average by day 82), normal from day 83.
  const base = shapedSeries(START, 100, { base: 1000, noise: 0.03, seed: 3 });
  const full = totalOnly(START, withExtra(withExtra(base, 80, 81, 600), 81, 83, 1300));

  it('alerts once when an anomaly opens, once when it escalates, never again while it lasts or after it ends', () => {
    let state: TrackedAnomaly[] = [];
    const log: { day: number; alerts: InsightAlert[]; tracked: TrackedAnomaly[] }[] = [];
    for (const days of [81, 82, 83, 84, 84, 90]) {
      const result = evaluate(state, truncateDataset(full, days), days);
      state = result.tracked;
      log.push({ day: days, ...result });
    }
    expect(log.map((l) => l.alerts.map((a) => a.dedupKey))).toEqual([
      [`critical-anomaly:series:total:${addDays(START, 80)}:opened`],
      [],
      [`critical-anomaly:series:total:${addDays(START, 80)}:escalated-critical`],
      [],
      [],
      [],
    ]);
    const ids = new Set(log.flatMap((l) => l.tracked.map((t) => t.id)));
    expect([...ids]).toEqual([anomalyId('total', addDays(START, 80))]);
    expect(log.map((l) => l.tracked[0].status)).toEqual(['open', 'open', 'open', 'closed', 'closed', 'closed']);
    expect(log.map((l) => l.tracked[0].severity)).toEqual(['high', 'high', 'critical', 'critical', 'critical', 'critical']);
    expect(log[3].tracked[0]).toMatchObject({ latestDate: addDays(START, 82), days: 3, alertedSeverity: 'critical' });
    expect(log[3].tracked[0].closedAt).toBe(log[4].tracked[0].closedAt);

    const [opened] = log[0].alerts;
    expect(opened).toMatchObject({ event: 'critical-anomaly', severity: 'high' });
    expect(opened.title).toContain('+$');
    expect(opened.message).toContain('USD per day');
    expect(opened.details).toMatchObject({ unit: 'USD per day', kind: 'opened', status: 'open' });
  });

  it('raises one alert for the series one root cause moves together (total, service, region, account)', () => {
    const cells = [
      { service: 'AWS Lambda', region: 'eu-west-1', accountId: '111111111111', values: withExtra(shapedSeries(START, 90, { base: 300, seed: 1, noise: 0.03 }), 86, 90, 900) },
      { service: 'Amazon Relational Database Service', region: 'us-east-1', accountId: '222222222222', values: shapedSeries(START, 90, { base: 300, seed: 2, noise: 0.03 }) },
    ];
    const { tracked, alerts } = evaluate([], datasetFromCells(START, cells), 90);
    expect(tracked.map((t) => t.series).sort()).toEqual(['account:111111111111', 'region:eu-west-1', 'service:AWS Lambda', 'total']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].dedupKey).toBe(`critical-anomaly:111111111111/eu-west-1/AWS Lambda:${addDays(START, 86)}:opened`);
    expect(alerts[0].details.series).toBe('account:111111111111,region:eu-west-1,service:AWS Lambda,total');
    expect(alerts[0].title).toMatch(/^Cost anomaly \(high\): AWS Lambda in eu-west-1, account 111111111111, \+\$(8|9)\d\d\.\d\d\/day$/);
    expect(tracked.every((t) => t.alertedSeverity === 'high')).toBe(true);
  });

  it('does not alert on history: an anomaly first seen long after it ended is only recorded', () => {
    const old = totalOnly(START, withExtra(base, 60, 63, 1500));
    const first = evaluate([], old, 100);
    expect(first.tracked).toHaveLength(1);
    expect(first.tracked[0].status).toBe('closed');
    expect(first.alerts).toEqual([]);
    const recent = totalOnly(START, withExtra(base, 92, 95, 1500));
    expect(evaluate([], recent, 100).alerts).toHaveLength(1); // ended 5 days before the latest day: within 7
  });

  it('keeps the id when a restated day moves the start, and closes an open anomaly the data no longer shows', () => {
    const first = evaluate([], truncateDataset(full, 82), 82);
    const restatedValues = withExtra(withExtra(withExtra(base, 79, 80, 700), 80, 81, 600), 81, 83, 1300);
    const restated = evaluate(first.tracked, truncateDataset(totalOnly(START, restatedValues), 82), 82);
    expect(restated.tracked).toHaveLength(1);
    expect(restated.tracked[0]).toMatchObject({ id: first.tracked[0].id, startDate: addDays(START, 79) });
    expect(restated.alerts).toEqual([]);

    const vanished = evaluate(first.tracked, truncateDataset(totalOnly(START, base), 82), 82);
    expect(vanished.tracked).toHaveLength(1);
    expect(vanished.tracked[0]).toMatchObject({ id: first.tracked[0].id, status: 'closed' });
  });

  it('does not alert below alertMinSeverity, and alerts an anomaly when it first reaches it', () => {
    // +$150/day on a $300/day series: 50% but under $250/day, so medium; then +$700/day makes the average high.
    const small = shapedSeries(START, 100, { base: 300, noise: 0.02, seed: 5 });
    const growing = totalOnly(START, withExtra(withExtra(small, 80, 82, 150), 82, 90, 700));
    const first = evaluate([], truncateDataset(growing, 82), 82);
    expect(first.tracked[0].severity).toBe('medium');
    expect(first.alerts).toEqual([]);
    const second = evaluate(first.tracked, truncateDataset(growing, 84), 84);
    expect(second.tracked[0].severity).toBe('high');
    expect(second.alerts.map((a) => a.dedupKey)).toEqual([`critical-anomaly:series:total:${addDays(START, 80)}:opened`]);
  });
});
