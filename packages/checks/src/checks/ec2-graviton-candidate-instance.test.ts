// ec2-graviton-candidate-instance: Linux x86 only, the same size in the Graviton family, running only.
import type { Ec2Instance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, instance, prices } from '../test-fixtures.js';
import { ec2GravitonCandidateInstance } from './ec2-graviton-candidate-instance.js';

const defaults = ec2GravitonCandidateInstance.options.parse({});

function evaluate(resource: Ec2Instance, options: Partial<typeof defaults> = {}) {
  return ec2GravitonCandidateInstance.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('ec2-graviton-candidate-instance', () => {
  it('moves m5.large to m7g.large, priced from the table', () => {
    const finding = evaluate(instance());
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.096 - 0.0816) * 730, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      confidence: 1,
      action: { type: 'ec2.resize-instance', params: { fromType: 'm5.large', toType: 'm7g.large' } },
    });
    expect(finding?.reason).toBe('m5.large runs Linux on x86_64: the Graviton m7g.large costs $10.51/month less');
  });

  it('skips Windows, arm64, Mac and stopped instances', () => {
    expect(evaluate(instance({ platform: 'windows' }))).toBeNull();
    expect(evaluate(instance({ instanceType: 'm7g.large', architecture: 'arm64' }))).toBeNull();
    expect(evaluate(instance({ architecture: 'x86_64_mac' }))).toBeNull();
    expect(evaluate(instance({ state: 'stopped' }))).toBeNull();
  });

  it('needs the size in the Graviton family and a known family', () => {
    expect(evaluate(instance({ instanceType: 'm5.24xlarge' }))).toBeNull();
    expect(evaluate(instance({ instanceType: 'x2idn.large' }))).toBeNull();
    expect(evaluate(instance({ instanceType: 't3.nano' }))?.action.params.toType).toBe('t4g.nano');
    expect(evaluate(instance({ instanceType: 'c5.xlarge' }), { families: { c5: 'c6g' } })?.action.params.toType).toBe('c6g.xlarge');
  });

  it('raises the risk for production and marks spot estimated', () => {
    expect(evaluate(instance({ tags: { environment: 'prod' } }))?.risk).toBe('high');
    expect(evaluate(instance({ lifecycle: 'spot' }))?.priceConfidence).toBe('estimated');
  });
});
