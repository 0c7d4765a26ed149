// metricNeeds: the metrics enabled checks read, per window and kind, without duplicates.
import { describe, expect, it } from 'vitest';
import { metricNeeds } from './metric-needs.js';

describe('metricNeeds', () => {
  it('gathers every enabled check\'s metrics by its lookback window', () => {
    const needs = metricNeeds({ checks: {} });
    expect(needs.utilization['ec2-instance']).toEqual(['cpuUtilization', 'networkInBytes', 'networkOutBytes']);
    expect(needs.utilization['lambda-function']?.sort()).toEqual(['lambdaDurationMs', 'lambdaErrors', 'lambdaInvocations']);
    expect(needs.unused).toEqual({
      'nat-gateway': ['natBytesOutToDestination', 'natBytesOutToSource'],
      'lambda-function': ['lambdaInvocations'],
    });
    expect(needs.utilization['ebs-snapshot']).toBeUndefined();
  });

  it('asks for nothing a disabled check alone would read', () => {
    const needs = metricNeeds({ checks: { 'nat-idle-gateway': { enabled: false }, 'lambda-unused-function': { enabled: false } } });
    expect(needs.unused).toEqual({});
    const ec2 = metricNeeds({ checks: { 'ec2-idle-instance': { enabled: false } } });
    expect(ec2.utilization['ec2-instance']).toEqual(['cpuUtilization']);
  });
});
