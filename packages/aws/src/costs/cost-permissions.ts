// The IAM actions the costs stage and the price refresh need, for policies and docs (granted in the payer account).

/** GetCostAndUsage (daily costs), GetCostForecast (the month's forecast), GetDimensionValues (the request plan's region list). */
export const COST_EXPLORER_PERMISSIONS: readonly string[] = ['ce:GetCostAndUsage', 'ce:GetCostForecast', 'ce:GetDimensionValues'];

/** `finops pricing refresh`: the Price List query API. */
export const PRICE_LIST_PERMISSIONS: readonly string[] = ['pricing:GetProducts'];
