// The report API: a scan's report in any format and selection, the diff with the scan before, the latest report,
// and the status of the notification channels and the backend sink.
import { REPORT_FORMATS, REPORT_TYPES, diffReports, renderDiffMarkdown, renderReport, type Report, type ReportFormat } from '@finops/reports';
import { SERVICE_NAMES, type Config, type ServiceName } from '@finops/core';
import { ChannelStatusStore } from '@finops/notifications';
import { BACKEND_STATUS_ID, completedScans, readReportFile, reportBefore } from '@finops/pipeline';
import type { ScanRecord, ScanStore } from '@finops/queues';
import express, { type Request, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export interface ReportsRouterOptions {
  config: Config;
  store: ScanStore;
  redis: Redis;
}

const scanIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const list = <T extends string>(item: z.ZodType<T, string>) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).min(1))
    .optional();

/** ?type=&services=&regions=&accounts=&diff= of the report routes. */
const reportQuery = z.strictObject({
  type: z.enum(REPORT_TYPES).default('all'),
  services: list(z.enum(SERVICE_NAMES as [ServiceName, ...ServiceName[]])),
  regions: list(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region name')),
  accounts: list(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')),
  /** md and html: include the changes since the previous scan (default true). */
  diff: z.enum(['true', 'false']).default('true'),
  format: z.enum(Object.keys(REPORT_FORMATS) as [ReportFormat, ...ReportFormat[]]).optional(),
});

class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function parseQuery(req: Request): z.infer<typeof reportQuery> {
  const parsed = reportQuery.safeParse(req.query);
  if (!parsed.success) {
    throw new RouteError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '), 'e.g. ?type=optimization&regions=eu-west-1&services=ec2,rds');
  }
  return parsed.data;
}

async function completedScan(store: ScanStore, id: unknown): Promise<ScanRecord & { reportDir: string }> {
  const parsed = scanIdParam.safeParse(id);
  if (!parsed.success) throw new RouteError(400, 'invalid scan id', 'scan ids look like scan-20261126T193000Z-k3f9');
  const record = await store.getScan(parsed.data);
  if (!record) throw new RouteError(404, `scan ${parsed.data} not found`, 'GET /api/scans lists known scans');
  if (record.status !== 'completed' || !record.reportDir) {
    throw new RouteError(409, `scan ${parsed.data} has no report yet (status ${record.status})`, `poll GET /api/scans/${parsed.data}`);
  }
  return record as ScanRecord & { reportDir: string };
}

/** Wraps a handler: RouteErrors become `{ error, hint }` with their status; anything else goes to the app's handler. */
function route(handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof RouteError)) throw error;
      res.status(error.status).json({ error: error.message, hint: error.hint });
    }
  };
}

function send(res: Response, report: Report, format: ReportFormat, query: z.infer<typeof reportQuery>, previous: Report | undefined): void {
  const { type, services, regions, accounts } = query;
  const rendered = renderReport(report, format, { type, services, regions, accounts, previous: query.diff === 'true' ? previous : undefined });
  res.setHeader('content-type', rendered.contentType);
  res.setHeader('content-disposition', `inline; filename="${report.scanId}-${rendered.fileName}"`);
  if (format === 'html') res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  res.send(rendered.content);
}

/**
 * `GET /scans/:id/report.{json,csv,md,html}` (query: type, services, regions, accounts, diff),
 * `GET /scans/:id/diff` (JSON, or `?format=md`), `GET /reports/latest` (JSON, or `?format=`),
 * `GET /notifications/status`. Mounted under /api behind the API's authentication.
 */
export function reportsRouter({ config, store, redis }: ReportsRouterOptions): Router {
  const router = express.Router();

  router.get(
    '/scans/:id/report.:format',
    route(async (req, res) => {
      const format = req.params.format as ReportFormat;
      if (!(format in REPORT_FORMATS)) {
        throw new RouteError(404, `no report format "${format}"`, `use one of ${Object.keys(REPORT_FORMATS).map((f) => `report.${f}`).join(', ')}`);
      }
      const query = parseQuery(req);
      const scan = await completedScan(store, req.params.id);
      const report = await readReportFile(scan.reportDir);
      const previous = format === 'md' || format === 'html' ? await reportBefore(store, scan.plan.startedAt) : undefined;
      send(res, report, format, query, previous);
    }),
  );

  router.get(
    '/scans/:id/diff',
    route(async (req, res) => {
      const query = parseQuery(req);
      const scan = await completedScan(store, req.params.id);
      const previous = await reportBefore(store, scan.plan.startedAt);
      if (!previous) throw new RouteError(404, `scan ${scan.plan.scanId} has no completed scan before it to compare with`);
      const diff = diffReports(previous, await readReportFile(scan.reportDir));
      if (query.format === 'md') res.type('text/markdown; charset=utf-8').send(renderDiffMarkdown(diff));
      else res.json(diff);
    }),
  );

  router.get(
    '/reports/latest',
    route(async (req, res) => {
      const query = parseQuery(req);
      const [latest, before] = await completedScans(store, 50);
      if (!latest) throw new RouteError(404, 'no scan has completed yet', 'POST /api/scans starts one');
      const previous = before ? await readReportFile(before.reportDir).catch(() => undefined) : undefined;
      send(res, await readReportFile(latest.reportDir), query.format ?? 'json', query, previous);
    }),
  );

  router.get(
    '/notifications/status',
    route(async (_req, res) => {
      const statuses = new ChannelStatusStore(redis, config.redis.prefix);
      const channels = await Promise.all(
        config.notifications.channels.map(async (c) => ({ ...(await statuses.status(c.id)), type: c.type, events: c.events })),
      );
      res.json({
        enabled: config.notifications.enabled,
        channels,
        backend: config.backend.url ? await statuses.status(BACKEND_STATUS_ID) : undefined,
      });
    }),
  );

  return router;
}
