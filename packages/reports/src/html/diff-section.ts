// The "changes since the previous scan" block of the HTML report.
import type { Recommendation } from '@finops/core';
import type { ReportDiff } from '../diff-reports.js';
import { formatUsd } from '../format-usd.js';
import { escapeHtml } from './escape.js';

const signed = (usd: number) => `${usd < 0 ? '−' : '+'}${formatUsd(Math.abs(usd))}`;

function list(title: string, recs: readonly Recommendation[], top: number): string {
  if (!recs.length) return '';
  const items = recs
    .slice(0, top)
    .map((r) => `<li>${escapeHtml(formatUsd(r.monthlySavingsUsd))}/month · <code>${escapeHtml(r.checkId)}</code> · <code>${escapeHtml(r.resourceId)}</code> · ${escapeHtml(r.accountId)} ${escapeHtml(r.region)}</li>`)
    .join('');
  const more = recs.length > top ? `<li>…and ${recs.length - top} more</li>` : '';
  return `<h3>${escapeHtml(title)}</h3><ul>${items}${more}</ul>`;
}

/** Counts and savings moved since the previous scan, with the largest new and resolved items listed. */
export function diffSection(diff: ReportDiff, top = 10): string {
  const { savings } = diff;
  const stat = (name: string, count: number, usd: number) =>
    `<div class="card"><div class="label">${escapeHtml(name)}</div><div class="figure" data-diff="${escapeHtml(name.toLowerCase())}" data-value="${count}">${count}</div><div class="legend">${escapeHtml(signed(usd))}/month</div></div>`;
  return (
    `<section id="diff"><h2>Changes since scan ${escapeHtml(diff.previous.scanId)}</h2>` +
    `<p class="legend">Savings ${escapeHtml(formatUsd(savings.previousUsd))} → ${escapeHtml(formatUsd(savings.currentUsd))}/month (${escapeHtml(signed(savings.deltaUsd))}), over the accounts, regions and resource kinds both scans covered.</p>` +
    `<div class="cards">${stat('New', diff.new.length, savings.newUsd)}${stat('Resolved', diff.resolved.length, -savings.resolvedUsd)}${stat('Changed', diff.changed.length, savings.changedDeltaUsd)}</div>` +
    list('Largest new', diff.new, top) +
    list('Largest resolved', diff.resolved, top) +
    `</section>`
  );
}
