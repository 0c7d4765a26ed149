// Contract: every permission the scan declares has a probe, so `finops test-connection` can prove all of them.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PERMISSIONS, DISCOVERY_PERMISSIONS } from './permissions.js';
import { PERMISSION_PROBES } from './permission-probes.js';

describe('permission probes', () => {
  it('probe every discovery and account permission (identity and roles are proven by GetCallerIdentity itself)', () => {
    const declared = new Set([...Object.values(DISCOVERY_PERMISSIONS).flat(), ...ACCOUNT_PERMISSIONS, 'ce:GetCostAndUsage']);
    declared.delete('sts:GetCallerIdentity');
    declared.delete('sts:AssumeRole');
    expect([...declared].filter((action) => !PERMISSION_PROBES[action]).sort()).toEqual([]);
  });

  it('marks only the tag look-ups as optional', () => {
    const optional = Object.entries(PERMISSION_PROBES).filter(([, probe]) => !probe.required).map(([action]) => action);
    expect(optional.sort()).toEqual(['elasticloadbalancing:DescribeTags', 'lambda:ListTags']);
  });
});
