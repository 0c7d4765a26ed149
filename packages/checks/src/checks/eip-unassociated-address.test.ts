// eip-unassociated-address: associated or not, priced as one public IPv4 address.
import { describe, expect, it } from 'vitest';
import { NOW, address, context, prices } from '../test-fixtures.js';
import { eipUnassociatedAddress } from './eip-unassociated-address.js';

function evaluate(resource = address()) {
  return eipUnassociatedAddress.evaluate({ resource, metrics: undefined, options: {}, prices, now: NOW, context: context() });
}

describe('eip-unassociated-address', () => {
  it('finds an address without an association', () => {
    expect(evaluate()).toEqual({
      monthlySavingsUsd: expect.closeTo(3.65, 6),
      priceConfidence: 'exact',
      risk: 'low',
      confidence: 1,
      action: {
        type: 'ec2.release-address',
        description: expect.stringContaining('Release'),
        params: { allocationId: 'eipalloc-0ccccccccccccccc1', publicIp: '203.0.113.10' },
      },
      reason: 'Elastic IP 203.0.113.10 is associated with nothing and costs $3.65/month',
      evidence: expect.objectContaining({ publicIp: '203.0.113.10', allocationId: 'eipalloc-0ccccccccccccccc1' }),
    });
  });

  it('ignores an associated address', () => {
    expect(evaluate(address({ associationId: 'eipassoc-1', instanceId: 'i-1' }))).toBeNull();
  });

  it('prices the address the same in every region', () => {
    expect(evaluate(address({ region: 'sa-east-1' }))?.monthlySavingsUsd).toBeCloseTo(3.65, 6);
  });
});
