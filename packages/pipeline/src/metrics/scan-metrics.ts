// Gauges read at scrape time from the latest completed scan: recommendations, savings, anomalies, scan age.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanStore } from '@finops/queues';
import type { Report } from '@finops/reports';
import { Gauge, type Registry } from 'prom-client';

/** The parts of report.json these gauges read. */
type ReportTotals = Pick<Report, 'scanId' | 'finishedAt' | 'totals' | 'anomalies' | 'errors'>;

/**
 * Registers the scan gauges on `registry`. The latest completed scan's report is read once per scan id and kept
 * in memory, so a scrape costs one small Redis read.
 */
export function registerScanMetrics(registry: Registry, store: ScanStore): void {
  let cached: ReportTotals | undefined;
  const latest = async (): Promise<ReportTotals | undefined> => {
    const scans = await store.listScans(20);
    const done = scans.find((s) => s.status === 'completed' && s.reportDir);
    if (!done) return undefined;
    if (cached?.scanId !== done.plan.scanId) {
      try {
        cached = JSON.parse(await readFile(join(done.reportDir!, 'report.json'), 'utf8')) as ReportTotals;
      } catch {
        // The report volume may not be mounted here: the gauges stay empty rather than failing the scrape.
        return undefined;
      }
    }
    return cached;
  };
  const registers = [registry];
  // The gauges collect together at each scrape: one read, reused for a second, serves them all.
  let read: { at: number; report: Promise<ReportTotals | undefined> } | undefined;
  const once = () => {
    if (!read || Date.now() - read.at > 1000) read = { at: Date.now(), report: latest() };
    return read.report;
  };

  new Gauge({
    name: 'finops_recommendations',
    help: 'Open recommendations in the latest completed scan, by check',
    labelNames: ['check'],
    registers,
    async collect() {
      this.reset();
      const report = await once();
      for (const [check, t] of Object.entries(report?.totals.byCheck ?? {})) this.set({ check }, t.count);
    },
  });
  new Gauge({
    name: 'finops_monthly_savings_usd',
    help: 'Estimated monthly savings of the open recommendations in the latest completed scan, by check, USD',
    labelNames: ['check'],
    registers,
    async collect() {
      this.reset();
      const report = await once();
      for (const [check, t] of Object.entries(report?.totals.byCheck ?? {})) this.set({ check }, t.monthlySavingsUsd);
    },
  });
  new Gauge({
    name: 'finops_anomalies_open',
    help: 'Cost anomalies reported by the latest completed scan',
    registers,
    async collect() {
      const report = await once();
      this.set(report?.anomalies.length ?? 0);
    },
  });
  new Gauge({
    name: 'finops_last_scan_completed_timestamp_seconds',
    help: 'When the latest completed scan finished (0: none yet)',
    registers,
    async collect() {
      const report = await once();
      this.set(report ? Date.parse(report.finishedAt) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'finops_last_scan_errors',
    help: 'Partition errors (access denied, disabled region, …) in the latest completed scan',
    registers,
    async collect() {
      const report = await once();
      this.set(report?.errors.length ?? 0);
    },
  });
}
