// Whether a budget over its approval threshold holds remediation of a resource: read through a small interface.
import type { ResourceKind, Tags } from '@finops/core';

export interface BudgetApprovalGate {
  /**
   * Ids of the budgets that hold remediation of this resource for an operator's approval now (over their
   * requireApprovalAbovePercent, not approved, and covering the resource); empty when none does.
   */
  holding(target: { accountId: string; kind: ResourceKind; tags: Tags }): Promise<string[]>;
}

/** No budget requires approval: the gate where no budget state is wired (the budget stage is off or absent). */
export const NO_BUDGET_REQUIRES_APPROVAL: BudgetApprovalGate = {
  holding: async () => [],
};
