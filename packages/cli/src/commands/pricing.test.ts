// `finops pricing refresh` against the simulated Price List: the override file it writes prices lookups exactly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPriceTableFile } from '@finops/pricing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { refreshPricesCommand } from './pricing.js';

afterEach(() => vi.restoreAllMocks());

describe('finops pricing refresh', () => {
  it('writes an override with exact prices for the regions asked, and prints what it found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finops-pricing-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, stringify({ aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] }, logging: { level: 'silent' } }));
    const output = join(dir, 'prices.json');
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const code = await refreshPricesCommand({ config, regions: 'eu-west-1', output, json: true }, new Date('2026-11-26T12:00:00Z'));
    expect(code).toBe(0);
    expect(JSON.parse(printed.join(''))).toMatchObject({ file: output, date: '2026-11-26', regions: ['eu-west-1'], ec2Types: 12, rdsClasses: 6, ebsTypes: 6, lambda: 3, regionRatios: 1 });
    const { table } = loadPriceTableFile(output);
    expect(table.ec2InstanceHourly('m5.large', 'eu-west-1', 'linux')).toMatchObject({ usd: 0.10656, confidence: 'exact' });
    expect(table.rdsInstanceHourly('db.t3.medium', 'postgres', false, 'eu-west-1')).toMatchObject({ usd: 0.07992, confidence: 'exact' });
    expect(table.regionFactor('eu-west-1').factor).toBe(1.11);
    expect(table.data.ebs.volumes.sc1.gbMonth).toBe(0.015);
  });
});
