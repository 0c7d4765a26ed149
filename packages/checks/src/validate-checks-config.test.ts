// validateChecksConfig and the check catalog: paths and messages a user can act on.
import { describe, expect, it } from 'vitest';
import { checkDefaults, describeChecks } from './check-catalog.js';
import { CHECK_IDS } from './registry.js';
import { validateChecksConfig } from './validate-checks-config.js';

describe('validateChecksConfig', () => {
  it('accepts valid entries and empty ones', () => {
    expect(
      validateChecksConfig({
        'ec2-idle-instance': { enabled: true, maxCpuP99Percent: 10, productionTagKeys: ['env'] },
        'eip-unassociated-address': { enabled: false },
        'ebs-unattached-volume': {},
      }),
    ).toEqual([]);
  });

  it('names an unknown check and lists the known ones', () => {
    expect(validateChecksConfig({ 'ec2-idel-instance': {} })).toEqual([
      {
        source: '',
        path: 'checks.ec2-idel-instance',
        message: `unknown check "ec2-idel-instance"; known checks: ${CHECK_IDS.join(', ')}`,
      },
    ]);
  });

  it('says what type and range a field expects and what it got', () => {
    expect(
      validateChecksConfig({
        'ec2-idle-instance': { maxCpuP99Percent: 'ten', maxNetworkBytesPerDay: -1, enabled: 'yes' },
        'ebs-unattached-volume': { minAgeDays: 1.5 },
      }),
    ).toEqual([
      { source: '', path: 'checks.ec2-idle-instance.enabled', message: 'expected true or false, got "yes"' },
      {
        source: '',
        path: 'checks.ec2-idle-instance.maxCpuP99Percent',
        message: 'expected number between 0 and 100, got "ten"',
      },
      { source: '', path: 'checks.ec2-idle-instance.maxNetworkBytesPerDay', message: 'expected number ≥ 0, got -1' },
      { source: '', path: 'checks.ebs-unattached-volume.minAgeDays', message: 'expected integer ≥ 0, got 1.5' },
    ]);
  });

  it('points into lists', () => {
    expect(validateChecksConfig({ 'ec2-idle-instance': { productionTagValues: ['prod', ''] } })).toEqual([
      { source: '', path: 'checks.ec2-idle-instance.productionTagValues.1', message: 'expected non-empty string, got ""' },
    ]);
  });

  it('rejects unknown options, listing the known ones', () => {
    const issues = validateChecksConfig({ 'eip-unassociated-address': { maxAgeDays: 3 } });
    expect(issues).toEqual([
      { source: '', path: 'checks.eip-unassociated-address.maxAgeDays', message: 'unknown option; known options: enabled' },
    ]);
  });
});

describe('check catalog', () => {
  it('returns every check\'s defaults with enabled: true', () => {
    const defaults = checkDefaults();
    expect(Object.keys(defaults)).toEqual(CHECK_IDS);
    expect(defaults['ec2-idle-instance']).toEqual({
      enabled: true,
      maxCpuP99Percent: 5,
      maxNetworkBytesPerDay: 5_000_000,
      minDataCoverage: 0.8,
      productionTagKeys: ['env', 'environment', 'stage'],
      productionTagValues: ['prod', 'production'],
    });
    expect(defaults['eip-unassociated-address']).toEqual({ enabled: true });
  });

  it('documents each option with its type, description and default', () => {
    const ebs = describeChecks().find((doc) => doc.id === 'ebs-unattached-volume');
    expect(ebs?.options).toContainEqual({
      name: 'snapshotBeforeDelete',
      type: 'true or false',
      description: expect.stringContaining('snapshot'),
      default: true,
    });
    expect(ebs?.permissions).toEqual(['ec2:DescribeVolumes']);
  });
});
