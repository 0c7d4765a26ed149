// docs/checks.md, rendered from the registry: the reference of every check, never written by hand.
import type { AnyCheck, Lookback } from './check.js';
import { describeChecks, type CheckDoc } from './check-catalog.js';
import { CHECKS } from './registry.js';

const LOOKBACK_WORDS: Record<Lookback, string> = {
  utilization: 'the utilization window (`optimization.lookbackDays`, default 14 days, at `optimization.metricPeriodSec`)',
  unused: 'the unused window (`optimization.unusedLookbackDays`, default 30 days, one datapoint a day)',
  none: 'none: resource state only',
};

/**
 * Metrics fetched one datapoint a day over the utilization window too, whatever its period: every check reads them
 * only as per-day totals (the definitions with `period: 'daily'` in @finops/aws).
 */
const DAILY_METRICS: ReadonlySet<string> = new Set(['networkInBytes', 'networkOutBytes', 'lbRequestCount', 'lbNewFlowCount']);

/**
 * Metrics fetched one datapoint a day except on some resources, where a check reads the busiest period (the
 * per-resource plan of @finops/aws: metricPlanFor): which resources.
 */
const DAILY_EXCEPT_ON: Readonly<Record<string, string>> = { ebsReadOps: 'io1/io2 volumes', ebsWriteOps: 'io1/io2 volumes' };

const names = (metrics: readonly string[]) => metrics.map((m) => `\`${m}\``).join(', ');

/** `` `cpuUtilization`, `networkInBytes` over the utilization window (…); `networkInBytes` one datapoint a day, … ``. */
function metricsLine(doc: CheckDoc): string {
  if (doc.metrics.length === 0) return LOOKBACK_WORDS.none;
  const daily = doc.lookback === 'utilization' ? doc.metrics.filter((m) => DAILY_METRICS.has(m)) : [];
  if (daily.length === doc.metrics.length) {
    const window = 'the utilization window (`optimization.lookbackDays`, default 14 days, one datapoint a day: the check reads only per-day totals)';
    return `${names(doc.metrics)} over ${window}`;
  }
  const perDay = daily.length > 0 ? `; ${names(daily)} one datapoint a day, as the check reads only their per-day totals` : '';
  const mostly = doc.lookback === 'utilization' ? doc.metrics.filter((m) => DAILY_EXCEPT_ON[m]) : [];
  const exceptOn =
    mostly.length > 0
      ? `; ${names(mostly)} one datapoint a day except on ${DAILY_EXCEPT_ON[mostly[0] as string]} (at \`optimization.metricPeriodSec\`: their busiest period is weighed against the IOPS they provision)`
      : '';
  return `${names(doc.metrics)} over ${LOOKBACK_WORDS[doc.lookback]}${perDay}${exceptOn}`;
}

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function value(input: unknown): string {
  return `\`${JSON.stringify(input)}\``;
}

function section(doc: CheckDoc): string {
  const lines = [
    `## \`${doc.id}\` — ${doc.title}`,
    '',
    doc.description,
    '',
    `- Resource kind: \`${doc.resourceKind}\``,
    `- Metrics: ${metricsLine(doc)}`,
    `- IAM permissions: ${doc.permissions.map((p) => `\`${p}\``).join(', ')}`,
  ];
  if (doc.informational) lines.push('- Informational: reports a risk without a saving; `optimization.minMonthlySavingsUsd` does not hide it.');
  if (doc.timed) lines.push('- Timed by the platform: AWS does not time-stamp the condition, so scans remember since when they have seen it.');
  lines.push('', `Options, under \`checks.${doc.id}\` in the configuration (\`enabled: false\` turns the check off):`, '');
  if (doc.options.length === 0) {
    lines.push('None.');
  } else {
    lines.push('| option | type | default | meaning |', '|---|---|---|---|');
    for (const option of doc.options) {
      lines.push(`| \`${option.name}\` | ${cell(option.type)} | ${cell(value(option.default))} | ${cell(option.description)} |`);
    }
  }
  return lines.join('\n');
}

/**
 * The Markdown of docs/checks.md. Write it with `pnpm -s finops checks docs > docs/checks.md`; a test fails when the
 * file and the registry disagree.
 */
export function renderChecksDoc(registry: readonly AnyCheck[] = CHECKS): string {
  const docs = describeChecks(registry);
  const summary = [
    '| check | resource | metrics window | finds |',
    '|---|---|---|---|',
    ...docs.map((doc) => `| [\`${doc.id}\`](#${doc.id}) | \`${doc.resourceKind}\` | ${doc.lookback} | ${cell(doc.description)} |`),
  ];
  return [
    '# Cost checks',
    '',
    '<!-- Generated from the check registry (packages/checks/src/registry.ts) by `pnpm -s finops checks docs > docs/checks.md`. Do not edit: a test compares this file with the registry. -->',
    '',
    `${docs.length} checks. Each finds one kind of waste, prices it from the price table, and says what to do. Every`,
    'recommendation carries the check id, the resource (account, region, id, name, tags), an action in words and in',
    'machine-readable form, `monthlySavingsUsd` net of the costs the action creates, a risk (production tags raise it),',
    'a confidence (how much data backed it), the evidence and a one-sentence reason.',
    '',
    ...summary,
    '',
    ...docs.map((doc) => `${section(doc)}\n`),
  ].join('\n');
}
