// The safety rules and the keys behind them: live mode, approvals and their state, action ids, change descriptions.
import { configSchema, UsageError, type Recommendation } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { actionIdFor, canonicalJson } from './ids.js';
import type { ApprovalRecord } from './remediation-types.js';
import { allowedLive, approvalNeeded, approvalProblem, autoApproved, protectedTag, runMode, unknownActionTypes } from './safety-policy.js';
import { describeChanges, stateDigest } from './state-digest.js';

const safety = (input: Record<string, unknown> = {}) => configSchema.parse({ safety: input }).safety;
const action = { type: 'ec2.release-address', description: 'release', params: { allocationId: 'eipalloc-1' } };
const recommendation = (risk: Recommendation['risk']) => ({ risk, action });

function approval(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    recommendationId: 'rec_0123456789abcdef',
    decision: 'approved',
    actor: 'alice@host',
    at: '2026-11-20T10:00:00.000Z',
    scanId: 'scan-1',
    stateDigest: 'digest-1',
    facts: {},
    tags: {},
    evidence: {},
    actionType: 'ec2.release-address',
    accountId: '111111111111',
    region: 'eu-west-1',
    resourceId: 'eipalloc-1',
    ...overrides,
  };
}

describe('live mode', () => {
  it('is a dry run unless live is asked for and safety.dryRun is false', () => {
    expect(runMode(false, safety())).toBe('dry-run');
    expect(runMode(false, safety({ dryRun: false }))).toBe('dry-run');
    expect(runMode(true, safety({ dryRun: false }))).toBe('live');
    expect(() => runMode(true, safety())).toThrow(UsageError);
    expect(() => runMode(true, safety())).toThrow(/safety\.dryRun is true/);
  });

  it('allows only the listed action kinds live', () => {
    expect(allowedLive('ec2.release-address', safety({ allowedActions: ['ec2.release-address'] }))).toBe(true);
    expect(allowedLive('ec2.stop-instance', safety({ allowedActions: ['ec2.release-address'] }))).toBe(false);
    expect(unknownActionTypes(safety({ allowedActions: ['ec2.stop-instance', 'ec2.stop-instnace'], autoApprove: ['x.y'] }), ['ec2.stop-instance'])).toEqual(['ec2.stop-instnace', 'x.y']);
  });

  it('finds protected tag keys, whatever their value', () => {
    expect(protectedTag({ 'finops:protect': '' }, safety())).toBe('finops:protect');
    expect(protectedTag({ team: 'a' }, safety())).toBeUndefined();
    expect(protectedTag({ keep: 'yes' }, safety({ protectedTags: ['keep'] }))).toBe('keep');
  });
});

describe('approvals', () => {
  it('are needed from safety.approvalRequiredFrom risk, or for any risk while a budget holds remediation', () => {
    expect(approvalNeeded(recommendation('low'), safety(), [])).toBeUndefined();
    expect(approvalNeeded(recommendation('medium'), safety(), [])).toMatch(/risk medium is at or above/);
    expect(approvalNeeded(recommendation('high'), safety({ approvalRequiredFrom: 'high' }), [])).toBeDefined();
    expect(approvalNeeded(recommendation('medium'), safety({ approvalRequiredFrom: 'high' }), [])).toBeUndefined();
    expect(approvalNeeded(recommendation('low'), safety(), ['platform'])).toMatch(/budget platform is over its approval threshold/);
  });

  it('are given by safety.autoApprove only to low-risk kinds of scheduled runs', () => {
    const s = safety({ autoApprove: ['ec2.release-address'] });
    expect(autoApproved(recommendation('low'), 'schedule:nightly', s)).toBe(true);
    expect(autoApproved(recommendation('low'), 'cli', s)).toBe(false);
    expect(autoApproved(recommendation('medium'), 'schedule:nightly', s)).toBe(false);
    expect(autoApproved(recommendation('low'), 'schedule:nightly', safety())).toBe(false);
  });

  it('count only when approved, recent enough, and for the same state', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(approvalProblem(undefined, undefined, now, safety())).toBe('no approval recorded');
    expect(approvalProblem(approval(), 'digest-1', now, safety())).toBeUndefined();
    expect(approvalProblem(approval({ decision: 'rejected', reason: 'still used' }), undefined, now, safety())).toMatch(/rejected by alice@host.*still used/);
    expect(approvalProblem(approval(), 'digest-2', now, safety())).toMatch(/void: the resource or the recommended action changed/);
    expect(approvalProblem(approval(), undefined, now, safety({ approvalMaxAgeDays: 5 }))).toMatch(/6 days old/);
  });
});

describe('keys and digests', () => {
  it('gives a live action one id per scan, recommendation and params; a dry run one per run', () => {
    const parts = { mode: 'live' as const, scanId: 'scan-1', runId: 'run-a', recommendationId: 'rec_1', action };
    expect(actionIdFor(parts)).toMatch(/^act_[0-9a-f]{24}$/);
    expect(actionIdFor({ ...parts, runId: 'run-b' })).toBe(actionIdFor(parts));
    expect(actionIdFor({ ...parts, scanId: 'scan-2' })).not.toBe(actionIdFor(parts));
    expect(actionIdFor({ ...parts, action: { ...action, params: { allocationId: 'eipalloc-2' } } })).not.toBe(actionIdFor(parts));
    expect(actionIdFor({ ...parts, mode: 'dry-run' })).not.toBe(actionIdFor({ ...parts, mode: 'dry-run', runId: 'run-b' }));
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 0 }] })).toBe('{"a":[2,{"c":0,"d":1}],"b":1}');
  });

  it('digests the action, facts and tags, ignoring aws: tags and key order', () => {
    const digest = stateDigest('rec_1', action, { state: 'running', type: 'm5.large' }, { team: 'a', 'aws:cloudformation:stack-name': 'x' });
    expect(stateDigest('rec_1', action, { type: 'm5.large', state: 'running' }, { team: 'a' })).toBe(digest);
    expect(stateDigest('rec_1', action, { type: 'm5.xlarge', state: 'running' }, { team: 'a' })).not.toBe(digest);
    expect(stateDigest('rec_1', action, { type: 'm5.large', state: 'running' }, { team: 'b' })).not.toBe(digest);
  });

  it('describes what changed in words', () => {
    expect(describeChanges({ facts: { type: 'm5.large', state: 'running' }, tags: { a: '1', b: '2' } }, { facts: { type: 'm5.xlarge', state: 'running' }, tags: { a: '1', c: '3' } })).toEqual([
      'type "m5.large" → "m5.xlarge"',
      'tag b removed',
      'tag c added',
    ]);
  });
});
