// eip-unassociated-address: an Elastic IP associated with nothing, billed as a public IPv4 address every hour.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatUsd } from '../format.js';

// No thresholds: an address is associated or it is not.
const options = z.strictObject({});

export const eipUnassociatedAddress = defineCheck({
  id: 'eip-unassociated-address',
  title: 'Unassociated Elastic IP',
  description: 'Elastic IP addresses not associated with an instance or network interface, billed hourly.',
  resourceKind: 'elastic-ip',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeAddresses'],
  options,
  evaluate({ resource, prices }) {
    if (resource.associationId) return null;
    const price = prices.publicIpv4Monthly(resource.region);
    return {
      monthlySavingsUsd: price.usd,
      priceConfidence: price.confidence,
      risk: 'low',
      confidence: 1,
      action: {
        type: 'ec2.release-address',
        description: 'Release the Elastic IP address; the same address may not be recoverable afterwards.',
        params: { allocationId: resource.allocationId, publicIp: resource.publicIp },
      },
      reason: `Elastic IP ${resource.publicIp} is associated with nothing and costs ${formatUsd(price.usd)}/month`,
      evidence: {
        publicIp: resource.publicIp,
        allocationId: resource.allocationId,
        domain: resource.domain,
        monthlyUsd: price.usd,
        priceBasis: price.basis,
      },
    };
  },
});
