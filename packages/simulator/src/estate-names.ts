// Names the generated estate draws from: teams, workload roles and public address ranges.

export const TEAMS = ['payments', 'search', 'platform', 'data', 'growth', 'identity', 'ml'];
export const ROLES = ['api', 'worker', 'web', 'batch', 'cache', 'etl', 'queue', 'gateway'];
/** First octets of AWS-owned public IPv4 ranges. */
export const PUBLIC_FIRST_OCTETS = [3, 13, 18, 34, 35, 44, 52, 54];
