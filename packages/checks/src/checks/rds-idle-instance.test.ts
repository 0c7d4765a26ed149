// rds-idle-instance: connections on every day of the week at the limit, missing days, young databases.
import type { RdsInstance, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, database, daysAgo, metricsOf, prices } from '../test-fixtures.js';
import { rdsIdleInstance } from './rds-idle-instance.js';

const defaults = rdsIdleInstance.options.parse({});

function evaluate(resource: RdsInstance, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return rdsIdleInstance.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const db = database();
const connections = (values: number[]) => metricsOf(db.id, 'rds-instance', { databaseConnections: dailySum(values, { stat: 'Maximum' }) });

describe('rds-idle-instance', () => {
  it('finds a database without a connection on each of the last 7 days, priced at its instance hours', () => {
    const finding = evaluate(db, connections([0, 0, 0, 0, 0, 0, 0, 0]));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(0.178 * 730, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      action: { type: 'rds.delete-db-instance', params: { dbInstanceIdentifier: 'orders-db', finalSnapshot: true } },
      evidence: expect.objectContaining({ maxDailyConnections: 0, storageNotCounted: true }),
    });
    expect(evaluate(database({ multiAz: true }), connections([0, 0, 0, 0, 0, 0, 0, 0]))?.monthlySavingsUsd).toBeCloseTo(0.356 * 730, 6);
  });

  it('allows up to maxConnections on any day, and ignores connections before the week', () => {
    expect(evaluate(db, connections([0, 0, 0, 0, 0, 0, 0, 1]))).toBeNull();
    expect(evaluate(db, connections([0, 0, 0, 0, 0, 0, 0, 1]), { maxConnections: 1 })).not.toBeNull();
    expect(evaluate(db, connections([40, 40, 0, 0, 0, 0, 0, 0, 0, 0]))).not.toBeNull();
  });

  it('needs data for every day (a stopped database publishes nothing) and a database older than the week', () => {
    expect(evaluate(db, connections([0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(evaluate(db, undefined)).toBeNull();
    expect(evaluate(db, metricsOf(db.id, 'rds-instance', { databaseConnections: null }))).toBeNull();
    expect(evaluate(database({ createdAt: daysAgo(6) }), connections([0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(evaluate(database({ status: 'stopped' }), connections([0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(database({ tags: { env: 'prod' } }), connections([0, 0, 0, 0, 0, 0, 0, 0]))?.risk).toBe('high');
  });
});
