// The Markdown of the report's costs section: period, total, forecast, and the top services, regions and accounts.
import type { CostSummary } from './cost-summary.js';
import { formatUsd } from './format-usd.js';

function groupTable(label: string, groups: CostSummary['byService'], totalUsd: number): string[] {
  if (groups.length === 0) return [];
  const share = (usd: number) => (totalUsd > 0 ? `${((usd / totalUsd) * 100).toFixed(1)}%` : '—');
  return [
    `| ${label} | Cost | Share |`,
    '| --- | ---: | ---: |',
    ...groups.map((g) => `| ${g.name.replace(/\|/g, '\\|')} | ${formatUsd(g.usd)} | ${share(g.usd)} |`),
    '',
  ];
}

/** `## Costs` and its lines; absent data says why, so a reader knows the section was not forgotten. */
export function renderCostsMarkdown(costs: CostSummary | undefined): string[] {
  if (!costs) return [];
  const lines = ['## Costs', ''];
  if (!costs.available) {
    lines.push(`Not available: ${costs.reason ?? 'no cost data for this scan'}.`, '');
    return lines;
  }
  lines.push(
    `- Period: ${costs.start} → ${costs.end} (end exclusive), ${costs.metric}${costs.cached ? ', from the shared cache' : ''}`,
    `- Total: **${formatUsd(costs.totalUsd)}**`,
  );
  if (costs.forecast) {
    const interval =
      costs.forecast.lowerUsd !== undefined && costs.forecast.upperUsd !== undefined
        ? ` (80% interval ${formatUsd(costs.forecast.lowerUsd)}–${formatUsd(costs.forecast.upperUsd)})`
        : '';
    lines.push(`- Forecast ${costs.forecast.start} → ${costs.forecast.end}: ${formatUsd(costs.forecast.amountUsd)}${interval}`);
  }
  lines.push('', ...groupTable('Service (top)', costs.byService, costs.totalUsd), ...groupTable('Region', costs.byRegion, costs.totalUsd), ...groupTable('Account', costs.byAccount, costs.totalUsd));
  return lines;
}
