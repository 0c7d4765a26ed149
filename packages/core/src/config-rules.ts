// Rules across fields of a parsed configuration that a per-field schema cannot express: budget hierarchy, cron syntax.
import type { Config } from './config-schema.js';
import type { LocatedIssue } from './config-issues.js';
import { checkCronExpression } from './cron-expression.js';
import { suggest } from './config-issues.js';

type Budget = Config['budgets']['items'][number];

/** Every cross-field problem in `config`, located by path. */
export function checkConfigRules(config: Config): LocatedIssue[] {
  return [...checkBudgets(config.budgets.items), ...checkCustomSchedules(config.schedules.custom), ...checkSimulation(config.simulation)];
}

/** Caught here, not first when a worker builds the simulated account. */
function checkSimulation(simulation: Config['simulation']): LocatedIssue[] {
  const { min, max } = simulation.latencyMs;
  return min > max ? [{ path: ['simulation', 'latencyMs', 'max'], message: `expected at least latencyMs.min (${min}), got ${max}` }] : [];
}

/** Quarterly amounts compare with monthly ones as three months' worth. */
function monthlyAmount(budget: Budget): number {
  return budget.period === 'quarterly' ? budget.amountUsd / 3 : budget.amountUsd;
}

function describeAmount(budget: Budget): string {
  const amount = `${formatUsd(budget.amountUsd)} ${budget.period}`;
  return budget.period === 'monthly' ? amount : `${amount} = ${formatUsd(monthlyAmount(budget))} monthly`;
}

function formatUsd(amount: number): string {
  return `${Number.isInteger(amount) ? amount : amount.toFixed(2)} USD`;
}

function checkBudgets(budgets: Budget[]): LocatedIssue[] {
  const issues: LocatedIssue[] = [];
  const byId = new Map<string, { budget: Budget; index: number }>();
  for (const [index, budget] of budgets.entries()) {
    const first = byId.get(budget.id);
    if (first) {
      issues.push({
        path: ['budgets', 'items', index, 'id'],
        message: `duplicate budget id "${budget.id}" (also budgets.items[${first.index}])`,
      });
    } else {
      byId.set(budget.id, { budget, index });
    }
  }

  const reportedCycles = new Set<string>();
  for (const [index, budget] of budgets.entries()) {
    if (budget.parent === undefined) continue;
    const parent = byId.get(budget.parent);
    if (!parent) {
      const suggestion = suggest(budget.parent, [...byId.keys()]);
      issues.push({
        path: ['budgets', 'items', index, 'parent'],
        message: `unknown parent budget "${budget.parent}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      });
      continue;
    }

    const cycle = findCycle(budget, byId);
    if (cycle) {
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!reportedCycles.has(key)) {
        reportedCycles.add(key);
        issues.push({ path: ['budgets', 'items', index, 'parent'], message: `budgets form a cycle: ${cycle.join(' → ')}` });
      }
      continue;
    }

    // Allow for binary fractions: 3 × (30000 / 3) must not count as more than 30000.
    if (monthlyAmount(budget) > monthlyAmount(parent.budget) + 1e-9) {
      issues.push({
        path: ['budgets', 'items', index, 'amountUsd'],
        message: `budget "${budget.id}" (${describeAmount(budget)}) exceeds its parent "${parent.budget.id}" (${describeAmount(parent.budget)})`,
      });
    }
  }
  return issues;
}

/** The ids along the parent chain from `budget` back to itself (`a → b → a`), if the chain loops to it. */
function findCycle(budget: Budget, byId: Map<string, { budget: Budget }>): string[] | undefined {
  const chain = [budget.id];
  let current: Budget | undefined = budget;
  while (current?.parent !== undefined) {
    const parentId: string = current.parent;
    if (parentId === budget.id) return [...chain, parentId];
    // A loop further up the chain is reported from one of its own members.
    if (chain.includes(parentId)) return undefined;
    chain.push(parentId);
    current = byId.get(parentId)?.budget;
  }
  return undefined;
}

function checkCustomSchedules(schedules: Config['schedules']['custom']): LocatedIssue[] {
  const issues: LocatedIssue[] = [];
  const seen = new Map<string, number>();
  for (const [index, schedule] of schedules.entries()) {
    const problem = checkCronExpression(schedule.cron);
    if (problem) {
      issues.push({ path: ['schedules', 'custom', index, 'cron'], message: `invalid cron "${schedule.cron}": ${problem}` });
    }
    const first = seen.get(schedule.id);
    if (first !== undefined) {
      issues.push({
        path: ['schedules', 'custom', index, 'id'],
        message: `duplicate schedule id "${schedule.id}" (also schedules.custom[${first}])`,
      });
    } else {
      seen.set(schedule.id, index);
    }
  }
  return issues;
}
