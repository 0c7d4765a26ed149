// Money as people read it in reports: $1,234.56, and sub-cent API costs without rounding them to $0.00.

/**
 * One formatter for every call: `toLocaleString` with options builds a new Intl.NumberFormat each time, which cost
 * a quarter of a second over a 100k-resource report's recommendations.
 */
const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${Number(usd.toPrecision(2))}`;
  return `$${TWO_DECIMALS.format(usd)}`;
}
