// The HTML report's stylesheet, inlined in the page: system fonts only, readable on screen and on paper.

export const REPORT_CSS = `
:root { --ink: #1d2433; --muted: #5b6478; --line: #d9dee8; --accent: #2f6fdb; --good: #1f8a5b; --warn: #c77700; --bad: #c8372d; --bg: #f6f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1120px; margin: 0 auto; padding: 24px; }
header h1 { font-size: 22px; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span + span::before { content: " · "; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 16px 0 24px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .figure { font-size: 24px; font-weight: 650; margin-top: 2px; }
.card.savings .figure { color: var(--good); }
.card.alert .figure { color: var(--bad); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 0 0 18px; }
section h2 { font-size: 16px; margin: 0 0 12px; }
section h3 { font-size: 14px; margin: 14px 0 6px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 8px 24px; }
.grid-3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 8px 18px; }
.empty { color: var(--muted); font-style: italic; }
.chart { max-width: 100%; height: auto; display: block; }
.chart.time-chart { width: 100%; }
.chart text { font-size: 11px; fill: var(--muted); }
.chart .bar { fill: var(--accent); }
.chart .bar-label { fill: var(--ink); }
.chart .bar-value { fill: var(--ink); font-weight: 600; }
.chart .grid { stroke: #eef0f5; }
.chart .zero { stroke: #9aa3b5; }
.chart .line { fill: none; stroke-width: 2; }
.chart .series.cost .line { stroke: var(--accent); }
.chart .series.cost .point { fill: var(--accent); }
.chart .series.baseline .line { stroke: #9aa3b5; stroke-dasharray: 4 3; }
.chart .series.baseline .point { fill: #9aa3b5; }
.chart .anomaly-band { fill: rgba(200, 55, 45, .08); }
.chart .anomaly-marker { fill: rgba(200, 55, 45, .18); stroke: var(--bad); stroke-width: 2; }
.chart .ideal { stroke: #9aa3b5; stroke-dasharray: 2 4; }
.chart .burn { stroke: var(--accent); }
.chart .forecast { stroke: var(--warn); stroke-dasharray: 6 4; }
.chart .forecast.over { stroke: var(--bad); }
.chart .forecast-end { fill: var(--warn); }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 2px solid; vertical-align: middle; margin: 0 4px 0 10px; }
.legend i.cost, .legend i.burn { border-color: var(--accent); }
.legend i.anomaly { border: 2px solid var(--bad); border-radius: 50%; width: 10px; height: 10px; }
.legend i.ideal { border-color: #9aa3b5; border-top-style: dotted; }
.legend i.forecast { border-color: var(--warn); border-top-style: dashed; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.reason { color: var(--muted); max-width: 360px; }
.risk-high, .severity-critical, .status-exceeded, .outcome-failed { color: var(--bad); font-weight: 600; }
.risk-medium, .severity-high, .status-at-risk, .outcome-partially-applied { color: var(--warn); font-weight: 600; }
code { font-size: 12px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin: 24px 0; }
@media print { body { background: #fff; } section, .card { break-inside: avoid; border-color: #bbb; } }
`;
