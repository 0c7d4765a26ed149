// Inline SVG charts for the HTML report: bars, a daily time series with markers, a budget burn-down. No scripts, no
// network: the page draws the same offline, in a mail client's preview, or printed.
import { formatUsd } from '../format-usd.js';
import { escapeHtml } from './escape.js';

/** One bar: what it is, its value, and the JSON path of that value in report.json. */
export interface BarDatum {
  label: string;
  value: number;
  path: string;
  /** Shown beside the bar, e.g. "$70.08 · 3". */
  display: string;
}

export interface TimePoint {
  /** YYYY-MM-DD. */
  date: string;
  value: number;
  path?: string;
}

export interface TimeMarker {
  date: string;
  value: number;
  label: string;
  className: string;
  attributes?: Record<string, string>;
}

/** A shaded span of days, e.g. an anomaly that lasted several days. */
export interface TimeBand {
  start: string;
  end: string;
  label: string;
  className: string;
}

export interface TimeLine {
  points: TimePoint[];
  className: string;
  label: string;
}

const DAY_MS = 86_400_000;

/** Compact money for axes: $950, $1.2k, $3.4M. */
export function formatUsdShort(usd: number): string {
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '−' : '';
  if (abs >= 1_000_000) return `${sign}$${Number((abs / 1_000_000).toPrecision(3))}M`;
  if (abs >= 1_000) return `${sign}$${Number((abs / 1_000).toPrecision(3))}k`;
  return `${sign}$${Number(abs.toPrecision(3))}`;
}

/** 0..max in 4–5 round steps (1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(v as string | number)}"`)
    .join('');
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Horizontal bars, largest first as given. The value text of each bar carries `data-json-path` and `data-value`,
 * so a test (or a reader with dev tools) can tie every number to report.json.
 */
export function barChart({ id, title, data, width = 640 }: { id: string; title: string; data: BarDatum[]; width?: number }): string {
  const rowHeight = 26;
  const labelWidth = 190;
  const valueWidth = 120;
  const barArea = width - labelWidth - valueWidth;
  const height = data.length * rowHeight + 8;
  const max = Math.max(...data.map((d) => d.value), 0) || 1;
  const rows = data.map((d, i) => {
    const y = 4 + i * rowHeight;
    const barWidth = Math.max(round((d.value / max) * barArea), d.value > 0 ? 2 : 0);
    const label = d.label.length > 30 ? `${d.label.slice(0, 29)}…` : d.label;
    return (
      `<g class="bar-row">` +
      `<text class="bar-label" x="${labelWidth - 8}" y="${y + 17}" text-anchor="end"><title>${escapeHtml(d.label)}</title>${escapeHtml(label)}</text>` +
      `<rect class="bar"${attrs({ x: labelWidth, y: y + 4, width: barWidth, height: rowHeight - 8, rx: 3, 'data-value': d.value })}/>` +
      `<text class="bar-value"${attrs({ x: labelWidth + barWidth + 6, y: y + 17, 'data-json-path': d.path, 'data-value': d.value })}>${escapeHtml(d.display)}</text>` +
      `</g>`
    );
  });
  return (
    `<svg class="chart bar-chart"${attrs({ id, 'data-chart': id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title })}>` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`
  );
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function dayOf(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Axes, gridlines and scales shared by the time charts. */
function timeFrame(frame: Frame, firstDay: number, lastDay: number, minValue: number, maxValue: number) {
  const ticks = niceTicks(Math.min(0, minValue), Math.max(maxValue, 0));
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const span = Math.max(lastDay - firstDay, 1);
  const x = (day: number) => round(frame.left + ((day - firstDay) / span) * plotWidth);
  const y = (value: number) => round(frame.top + (1 - (value - low) / (high - low || 1)) * plotHeight);
  const grid = ticks
    .map(
      (t) =>
        `<line class="grid" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y(t)}" y2="${y(t)}"/>` +
        `<text class="axis-label" x="${frame.left - 6}" y="${y(t) + 4}" text-anchor="end">${escapeHtml(formatUsdShort(t))}</text>`,
    )
    .join('');
  const labelCount = Math.min(6, Math.floor(span) + 1);
  const xLabels = Array.from({ length: labelCount }, (_, i) => Math.round(firstDay + (i * span) / Math.max(labelCount - 1, 1)))
    .filter((day, i, all) => all.indexOf(day) === i)
    .map(
      (day) =>
        `<text class="axis-label" x="${x(day)}" y="${frame.height - frame.bottom + 16}" text-anchor="middle">${dateOf(day).slice(5)}</text>`,
    )
    .join('');
  return { x, y, axes: `<g class="axes">${grid}${xLabels}</g>` };
}

function pathOf(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
}

/**
 * A daily time series (one or more lines) with markers, e.g. the daily cost with its anomalies circled. Every point
 * of a line is also drawn as a small dot that carries its value and JSON path.
 */
export function timeSeriesChart({
  id,
  title,
  lines,
  markers = [],
  bands = [],
  width = 760,
  height = 260,
}: {
  id: string;
  title: string;
  lines: TimeLine[];
  markers?: TimeMarker[];
  bands?: TimeBand[];
  width?: number;
  height?: number;
}): string {
  const allPoints = [...lines.flatMap((l) => l.points), ...markers];
  const days = allPoints.map((p) => dayOf(p.date));
  const values = allPoints.map((p) => p.value);
  const frame: Frame = { width, height, left: 64, right: 16, top: 12, bottom: 28 };
  const { x, y, axes } = timeFrame(frame, Math.min(...days), Math.max(...days), Math.min(...values), Math.max(...values));
  const drawn = lines
    .map((line) => {
      const points = line.points.map((p) => ({ x: x(dayOf(p.date)), y: y(p.value) }));
      const dots = line.points
        .map(
          (p, i) =>
            `<circle class="point"${attrs({ cx: points[i].x, cy: points[i].y, r: 2, 'data-date': p.date, 'data-value': p.value, 'data-json-path': p.path })}><title>${escapeHtml(`${p.date}: ${formatUsd(p.value)}`)}</title></circle>`,
        )
        .join('');
      return `<g class="series ${escapeHtml(line.className)}" data-label="${escapeHtml(line.label)}"><path class="line" d="${pathOf(points)}"/>${dots}</g>`;
    })
    .join('');
  const shaded = bands
    .map((b) => {
      const from = x(dayOf(b.start)) - 4;
      const to = x(dayOf(b.end)) + 4;
      return `<rect class="${escapeHtml(b.className)}" x="${round(from)}" y="${frame.top}" width="${round(to - from)}" height="${height - frame.top - frame.bottom}"><title>${escapeHtml(b.label)}</title></rect>`;
    })
    .join('');
  const marks = markers
    .map(
      (m) =>
        `<circle${attrs({ class: m.className, cx: x(dayOf(m.date)), cy: y(m.value), r: 6, 'data-date': m.date, ...m.attributes })}><title>${escapeHtml(m.label)}</title></circle>`,
    )
    .join('');
  return (
    `<svg class="chart time-chart"${attrs({ id, 'data-chart': id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title })}>` +
    `<title>${escapeHtml(title)}</title>${axes}<g class="bands">${shaded}</g>${drawn}<g class="markers">${marks}</g></svg>`
  );
}

export interface BurnDownInput {
  id: string;
  title: string;
  amountUsd: number;
  /** Spend so far in the period. */
  actualUsd: number;
  /** Expected spend for the whole period, when forecast. */
  forecastUsd?: number;
  periodStart: string;
  /** Last day of the period (inclusive). */
  periodEnd: string;
  /** Last day with actual spend (the report's date). */
  asOf: string;
  /** Spend per day, when known: the burn follows it; otherwise it is drawn straight to `asOf`. */
  daily: { date: string; amountUsd: number }[];
}

/**
 * Budget burn-down: the remaining budget falling with the spend (solid), the even burn that ends at zero on the
 * last day (dotted), and the forecast from today to the period end (dashed). Below zero is overspend.
 */
export function burnDownChart(input: BurnDownInput, { width = 560, height = 240 } = {}): string {
  const start = dayOf(input.periodStart);
  const end = dayOf(input.periodEnd);
  const asOf = Math.min(Math.max(dayOf(input.asOf), start), end);
  const actual: { day: number; remaining: number }[] = [{ day: start, remaining: input.amountUsd }];
  const daily = input.daily.filter((d) => dayOf(d.date) >= start && dayOf(d.date) <= asOf);
  if (daily.length) {
    let spent = 0;
    for (const d of daily) {
      spent += d.amountUsd;
      actual.push({ day: dayOf(d.date) + 1, remaining: input.amountUsd - spent });
    }
    // The series may stop short of the reported actual (late cost data): the last step goes to the reported figure.
    if (Math.abs(spent - input.actualUsd) > 0.005) actual.push({ day: asOf + 1, remaining: input.amountUsd - input.actualUsd });
  } else {
    actual.push({ day: asOf + 1, remaining: input.amountUsd - input.actualUsd });
  }
  const last = actual[actual.length - 1];
  const forecastEnd = input.forecastUsd === undefined ? undefined : input.amountUsd - input.forecastUsd;
  const values = [input.amountUsd, 0, ...actual.map((a) => a.remaining), ...(forecastEnd === undefined ? [] : [forecastEnd])];
  const frame: Frame = { width, height, left: 64, right: 16, top: 12, bottom: 28 };
  const { x, y, axes } = timeFrame(frame, start, end + 1, Math.min(...values), Math.max(...values));
  const ideal = `<path class="line ideal" d="${pathOf([{ x: x(start), y: y(input.amountUsd) }, { x: x(end + 1), y: y(0) }])}"/>`;
  const burn = `<path class="line burn" d="${pathOf(actual.map((a) => ({ x: x(a.day), y: y(a.remaining) })))}"/>`;
  const forecast =
    forecastEnd === undefined
      ? ''
      : `<path class="line forecast${forecastEnd < 0 ? ' over' : ''}" d="${pathOf([{ x: x(last.day), y: y(last.remaining) }, { x: x(end + 1), y: y(forecastEnd) }])}"/>` +
        `<circle class="forecast-end" cx="${x(end + 1)}" cy="${y(forecastEnd)}" r="4"><title>${escapeHtml(`forecast: ${formatUsd(input.forecastUsd ?? 0)} spent by ${input.periodEnd}`)}</title></circle>`;
  const zero = `<line class="zero" x1="${frame.left}" x2="${width - frame.right}" y1="${y(0)}" y2="${y(0)}"/>`;
  return (
    `<svg class="chart burn-down"${attrs({ id: input.id, 'data-chart': input.id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': input.title })}>` +
    `<title>${escapeHtml(input.title)}</title>${axes}${zero}${ideal}${burn}${forecast}</svg>`
  );
}
