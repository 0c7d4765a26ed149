// The timed conditions of a run: where each check's `condition` holds, so the platform can remember since when.
import type { Resource, TimedObservation } from '@finops/core';
import { conditionHolds } from './check.js';
import type { AnyCheck } from './check.js';
import { CHECKS } from './registry.js';
import { fingerprintOf } from './run-checks.js';

/**
 * Every (resource, check) whose timed condition holds, for every check that has one, enabled or not (another
 * check may read it: a volume's check asks since when its instance is stopped). A condition that throws is
 * treated as not holding: it is a pure predicate over state, and the check's own evaluation reports the bug.
 * @example observeConditions(resources).map((o) => o.id) // fingerprints to look up in the tracking store
 */
export function observeConditions(resources: readonly Resource[], checks: readonly AnyCheck[] = CHECKS): TimedObservation[] {
  const observations: TimedObservation[] = [];
  for (const check of checks) {
    if (!check.condition) continue;
    for (const resource of resources) {
      let holds = false;
      try {
        holds = conditionHolds(check, resource);
      } catch {
        holds = false;
      }
      if (holds) observations.push({ id: fingerprintOf(resource, check.id), checkId: check.id, resourceId: resource.id, resourceKind: resource.kind });
    }
  }
  return observations;
}
