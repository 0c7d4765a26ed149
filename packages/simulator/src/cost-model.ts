// Daily cost lines of the estate for Cost Explorer: sized from partition counts, with seasonality, trend and anomalies.
import { DAY_MS, isoDate } from './clock.js';
import { partitionSize } from './partition-size.js';
import { Rng, unitAt, hashString } from './prng.js';

/** Cost Explorer's SERVICE dimension values. */
export const CE_SERVICES = {
  compute: 'Amazon Elastic Compute Cloud - Compute',
  ec2Other: 'EC2 - Other',
  vpc: 'Amazon Virtual Private Cloud',
  rds: 'Amazon Relational Database Service',
  lambda: 'AWS Lambda',
  cloudwatch: 'AmazonCloudWatch',
} as const;

/** Billing prefixes of usage types (us-east-1 uses `USE1-` in current CUR data). */
const USAGE_PREFIX: Record<string, string> = {
  'us-east-1': 'USE1', 'us-east-2': 'USE2', 'us-west-1': 'USW1', 'us-west-2': 'USW2', 'ca-central-1': 'CAN1',
  'sa-east-1': 'SAE1', 'eu-west-1': 'EU', 'eu-west-2': 'EUW2', 'eu-west-3': 'EUW3', 'eu-central-1': 'EUC1',
  'eu-north-1': 'EUN1', 'eu-south-1': 'EUS1', 'ap-northeast-1': 'APN1', 'ap-northeast-2': 'APN2',
  'ap-northeast-3': 'APN3', 'ap-southeast-1': 'APS1', 'ap-southeast-2': 'APS2', 'ap-south-1': 'APS3',
};

function usagePrefix(region: string): string {
  return USAGE_PREFIX[region] ?? region.split('-').map((part) => part[0].toUpperCase()).join('');
}

export interface CostLine {
  accountId: string;
  region: string;
  service: string;
  usageType: string;
  /** Cost on a weekday at the epoch, before noise. */
  baseUsdPerDay: number;
  /** Saturday and Sunday multiplier (compute and Lambda dip at weekends, storage does not). */
  weekendFactor: number;
  key: number;
}

export interface InjectedAnomaly {
  accountId: string;
  region: string;
  service: string;
  usageType: string;
  /** First day with the extra cost (YYYY-MM-DD). */
  startDate: string;
  /** Day after the last one with the extra cost (exclusive, as Cost Explorer's TimePeriod.End). */
  endDate: string;
  extraUsdPerDay: number;
}

export interface CostModelInput {
  seed: number;
  accounts: readonly string[];
  regions: readonly string[];
  resourcesPerRegion: number;
  epochMs: number;
}

/** Yearly growth of the bill: gentle, so anomalies stand out from the trend. */
const GROWTH_PER_YEAR = 0.15;

export class CostModel {
  readonly lines: CostLine[];
  readonly anomalies: InjectedAnomaly[];
  readonly #epochMs: number;
  readonly #anomalyByLine = new Map<string, { startMs: number; endMs: number; extra: number }>();

  constructor(input: CostModelInput) {
    this.#epochMs = input.epochMs;
    this.lines = input.accounts.flatMap((accountId) => input.regions.flatMap((region) => linesOf(input, accountId, region)));
    this.anomalies = pickAnomalies(input, this.lines, this.baselineTotal());
    for (const a of this.anomalies) {
      this.#anomalyByLine.set(`${a.accountId}|${a.region}|${a.usageType}`, {
        startMs: Date.parse(`${a.startDate}T00:00:00Z`),
        endMs: Date.parse(`${a.endDate}T00:00:00Z`),
        extra: a.extraUsdPerDay,
      });
    }
  }

  /** The noise-free cost of a line on a day: trend and weekly seasonality only (what a forecast projects). */
  baseline(line: CostLine, dayMs: number): number {
    const years = (dayMs - this.#epochMs) / (365 * DAY_MS);
    const weekday = new Date(dayMs).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? line.weekendFactor : 1;
    return line.baseUsdPerDay * (1 + GROWTH_PER_YEAR * years) * weekly;
  }

  /** The billed cost of a line on a day: baseline, ±3% noise, plus an injected anomaly if one covers the day. */
  cost(line: CostLine, dayMs: number): number {
    const noise = 1 + 0.06 * (unitAt(line.key, Math.floor(dayMs / DAY_MS)) - 0.5);
    let amount = this.baseline(line, dayMs) * noise;
    const anomaly = this.#anomalyByLine.get(`${line.accountId}|${line.region}|${line.usageType}`);
    if (anomaly && dayMs >= anomaly.startMs && dayMs < anomaly.endMs) amount += anomaly.extra;
    return amount;
  }

  /** The whole estate's baseline on a weekday at the epoch. */
  baselineTotal(): number {
    return this.lines.reduce((sum, line) => sum + line.baseUsdPerDay, 0);
  }
}

function linesOf(input: CostModelInput, accountId: string, region: string): CostLine[] {
  const counts = partitionSize({ ...input, accountId, region });
  const p = usagePrefix(region);
  const line = (service: string, usageType: string, baseUsdPerDay: number, weekendFactor = 1): CostLine => ({
    accountId,
    region,
    service,
    usageType: `${p}-${usageType}`,
    baseUsdPerDay,
    weekendFactor,
    key: hashString(`${input.seed}|cost|${accountId}|${region}|${usageType}`),
  });
  // Rough us-east-1 prices (aws-facts.md §4): ~90% of instances run at ~$0.15/h on average.
  const compute = counts['ec2-instance'] * 0.9 * 0.15 * 24;
  const ebs = (counts['ebs-volume'] * 150) / 30;
  const rds = counts['rds-instance'] * 0.2 * 24;
  const lambda = counts['lambda-function'] * 0.6;
  return [
    line(CE_SERVICES.compute, 'BoxUsage:m5.large', compute * 0.35, 0.85),
    line(CE_SERVICES.compute, 'BoxUsage:t3.medium', compute * 0.2, 0.85),
    line(CE_SERVICES.compute, 'BoxUsage:c6i.xlarge', compute * 0.15, 0.8),
    line(CE_SERVICES.compute, 'BoxUsage:r5.large', compute * 0.1),
    line(CE_SERVICES.compute, 'BoxUsage:m7g.large', compute * 0.1, 0.85),
    line(CE_SERVICES.compute, 'SpotUsage:m5.xlarge', compute * 0.05, 0.7),
    line(CE_SERVICES.compute, 'BoxUsage:m4.large', compute * 0.05),
    line(CE_SERVICES.ec2Other, 'EBS:VolumeUsage.gp2', ebs * 0.3 * 0.1),
    line(CE_SERVICES.ec2Other, 'EBS:VolumeUsage.gp3', ebs * 0.6 * 0.08),
    line(CE_SERVICES.ec2Other, 'EBS:VolumeUsage.piops', ebs * 0.1 * 0.125),
    line(CE_SERVICES.ec2Other, 'EBS:VolumeP-IOPS.piops', counts['ebs-volume'] * 0.1 * (4000 * 0.065) / 30),
    line(CE_SERVICES.ec2Other, 'EBS:SnapshotUsage', (counts['ebs-snapshot'] * 80 * 0.05) / 30),
    line(CE_SERVICES.vpc, 'PublicIPv4:InUseAddress', (counts['elastic-ip'] + counts['ec2-instance'] * 0.3) * 0.005 * 24),
    line(CE_SERVICES.vpc, 'PublicIPv4:IdleAddress', counts['elastic-ip'] * 0.3 * 0.005 * 24),
    line(CE_SERVICES.rds, 'InstanceUsage:db.t3.medium', rds * 0.4, 0.97),
    line(CE_SERVICES.rds, 'Multi-AZUsage:db.m5.large', rds * 0.45),
    line(CE_SERVICES.rds, 'RDS:GP3-Storage', rds * 0.15),
    line(CE_SERVICES.lambda, 'Lambda-GB-Second', lambda * 0.85, 0.7),
    line(CE_SERVICES.lambda, 'Request', lambda * 0.15, 0.7),
    line(CE_SERVICES.cloudwatch, 'CW:MetricMonitorUsage', 1 + 0.004 * counts['ec2-instance']),
    line(CE_SERVICES.cloudwatch, 'CW:GMD-Metrics', 0.5 + 0.002 * counts['ec2-instance'], 0.9),
  ];
}

/**
 * Three anomalies, in the last two months and far apart, on lines of compute, Lambda, RDS or snapshots. Each adds
 * at least 60% of the whole estate's daily baseline, so it stands out at any grouping: line, service, account, total.
 */
function pickAnomalies(input: CostModelInput, lines: CostLine[], total: number): InjectedAnomaly[] {
  const rng = new Rng(`${input.seed}|anomalies`);
  const targets = rng.shuffle(['BoxUsage:m5.large', 'Lambda-GB-Second', 'InstanceUsage:db.t3.medium', 'EBS:SnapshotUsage']);
  const windows = [
    [9, 12],
    [28, 33],
    [50, 56],
  ];
  return windows.map(([minAgo, maxAgo], i) => {
    const accountId = input.accounts[i % input.accounts.length];
    const region = rng.pick(input.regions);
    const target = targets[i];
    const line = lines.find((l) => l.accountId === accountId && l.region === region && l.usageType.endsWith(`-${target}`));
    if (!line) throw new Error(`cost model has no line ${target} in ${accountId}/${region}`);
    const startMs = input.epochMs - rng.int(minAgo, maxAgo) * DAY_MS;
    const days = rng.int(3, 5);
    return {
      accountId,
      region,
      service: line.service,
      usageType: line.usageType,
      startDate: isoDate(startMs),
      endDate: isoDate(startMs + days * DAY_MS),
      extraUsdPerDay: Math.round(Math.max(200, total * 0.6)),
    };
  });
}
