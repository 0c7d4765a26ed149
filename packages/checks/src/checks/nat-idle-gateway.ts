// nat-idle-gateway: a NAT gateway that moved no bytes over the whole "unused" window, billed by the hour.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatMegabytes, formatUsd } from '../format.js';
import { coverage, existedThroughout } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  maxBytes: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Idle only if the bytes sent to destinations plus back to sources over the window are at most this.'),
  ...productionTagOptions,
});

export const natIdleGateway = defineCheck({
  id: 'nat-idle-gateway',
  title: 'Idle NAT gateway',
  description: 'NAT gateways that processed no traffic over the unused lookback (default 30 days), billed by the hour.',
  resourceKind: 'nat-gateway',
  metrics: ['natBytesOutToDestination', 'natBytesOutToSource'],
  lookback: 'unused',
  permissions: ['ec2:DescribeNatGateways', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.state !== 'available') return null;
    const window = metrics?.unused;
    // Metrics not collected (an analysis error): nothing is known.
    if (!window) return null;
    // A gateway younger than the window has not had the chance to carry traffic through all of it.
    if (!existedThroughout(resource.createTime, window.lookbackDays, now)) return null;
    const toDestination = window.metrics.natBytesOutToDestination;
    const toSource = window.metrics.natBytesOutToSource;
    // NAT gateways publish zeros while idle; no datapoints at all also means nothing was processed.
    const bytes = (toDestination?.sum ?? 0) + (toSource?.sum ?? 0);
    if (bytes > options.maxBytes) return null;

    const gateway = prices.natGatewayMonthly(resource.region, 0);
    // Deleting the gateway leaves its Elastic IPs allocated: releasing them is part of the saving.
    const addresses = resource.publicIps.map(() => prices.publicIpv4Monthly(resource.region));
    const addressUsd = addresses.reduce((total, quote) => total + quote.usd, 0);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const estimated = gateway.confidence === 'estimated' || addresses.some((quote) => quote.confidence === 'estimated');
    const present = [toDestination, toSource].filter((summary) => summary !== null && summary !== undefined);
    return {
      monthlySavingsUsd: gateway.usd + addressUsd,
      priceConfidence: estimated ? 'estimated' : 'exact',
      risk: riskFor('medium', production),
      // Zeros reported for every day are proof; silence is very likely idleness, but less certain.
      confidence: present.length > 0 ? Math.max(0.5, Math.min(...present.map((summary) => coverage(summary)))) : 0.5,
      action: {
        type: 'ec2.delete-nat-gateway',
        description:
          resource.publicIps.length > 0
            ? 'Delete the NAT gateway and release its Elastic IP (check the route tables that point at it).'
            : 'Delete the NAT gateway (check the route tables that point at it).',
        params: { natGatewayId: resource.id, releaseAddresses: resource.publicIps.length > 0 },
      },
      reason: `Processed ${formatMegabytes(bytes)} in ${window.lookbackDays} days; the gateway bills ${formatUsd(gateway.usd + addressUsd)}/month`,
      evidence: {
        bytesProcessed: bytes,
        lookbackDays: window.lookbackDays,
        datapoints: present.reduce((total, summary) => total + (summary?.datapoints ?? 0), 0),
        connectivityType: resource.connectivityType,
        publicIps: resource.publicIps.join(','),
        gatewayMonthlyUsd: gateway.usd,
        addressMonthlyUsd: addressUsd,
        priceBasis: gateway.basis,
        createTime: resource.createTime,
        production,
      },
    };
  },
});
