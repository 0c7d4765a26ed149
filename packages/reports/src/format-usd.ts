// Money as people read it in reports: $1,234.56, and sub-cent API costs without rounding them to $0.00.

export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${Number(usd.toPrecision(2))}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
