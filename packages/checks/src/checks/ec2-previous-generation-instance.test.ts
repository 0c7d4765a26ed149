// ec2-previous-generation-instance: generation map, sizes that exist, running only, Windows licences.
import type { Ec2Instance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, instance, prices } from '../test-fixtures.js';
import { ec2PreviousGenerationInstance } from './ec2-previous-generation-instance.js';

const defaults = ec2PreviousGenerationInstance.options.parse({});

function evaluate(resource: Ec2Instance, options: Partial<typeof defaults> = {}) {
  return ec2PreviousGenerationInstance.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('ec2-previous-generation-instance', () => {
  it('moves m4 to m5 and t2 to t3 at the same size, priced from the table', () => {
    const m4 = evaluate(instance({ instanceType: 'm4.xlarge' }));
    expect(m4).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.2 - 0.192) * 730, 6),
      // The m4 figure is a table estimate.
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'ec2.resize-instance', params: { fromType: 'm4.xlarge', toType: 'm5.xlarge' } },
    });
    expect(m4?.reason).toBe('m4.xlarge is previous generation: m5.xlarge costs $5.84/month less');
    expect(evaluate(instance({ instanceType: 't2.micro' }))?.monthlySavingsUsd).toBeCloseTo((0.0116 - 0.0104) * 730, 6);
  });

  it('ignores current generations, stopped instances and sizes the target family lacks', () => {
    expect(evaluate(instance({ instanceType: 'm5.large' }))).toBeNull();
    expect(evaluate(instance({ instanceType: 'm4.large', state: 'stopped' }))).toBeNull();
    expect(evaluate(instance({ instanceType: 'm4.10xlarge' }))).toBeNull();
  });

  it('follows a configured generation map', () => {
    expect(evaluate(instance({ instanceType: 'm4.large' }), { generations: { m4: 'm6i' } })?.action.params.toType).toBe('m6i.large');
    expect(evaluate(instance({ instanceType: 'm4.large' }), { generations: {} })).toBeNull();
  });

  it('keeps the Windows licence out of the difference and raises the risk in production', () => {
    expect(evaluate(instance({ instanceType: 'm4.large', platform: 'windows' }))?.monthlySavingsUsd).toBeCloseTo((0.1 - 0.096) * 730, 6);
    expect(evaluate(instance({ instanceType: 'm4.large', tags: { stage: 'prod' } }))?.risk).toBe('high');
  });

  it('makes no finding when the newer type costs as much or more', () => {
    expect(evaluate(instance({ instanceType: 'm5.large' }), { generations: { m5: 'm7i' } })).toBeNull();
  });
});
