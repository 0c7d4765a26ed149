// `finops report --type discovery|optimization|all [--scan ID]`: print a finished scan's report (the latest by default).
import type { Command } from 'commander';
import { EXIT, UsageError } from '@finops/core';
import { openContext, optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';
import { REPORT_TYPES, reportTypeFor } from '../report-types.js';
import { copyReport, readReport } from '../scan-runner.js';
import { renderForCli, wantsRendering } from './report-render.js';

export const registerReport: CommandRegistration = (program, cli) => {
  program
    .command('report')
    .description('print the report of the latest completed scan (or --scan ID); --output DIR copies its files')
    .option('--type <type>', `${[...REPORT_TYPES.map((t) => t.id), 'all'].join('|')}`, 'all')
    .option('--scan <id>', 'a scan id (default: the latest completed scan)')
    .option('--format <format>', 'print the report as json|md|csv|html (sections of --type, narrowed by --services/--regions/--accounts)')
    .option('--diff', 'print the changes since the previous completed scan (Markdown, or JSON with --format json)')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ type: string; scan?: string; format?: string; diff?: boolean }>(command);
      const type = reportTypeFor(o.type);
      if (!type) {
        throw new UsageError(`--type: unknown report type "${o.type}"`, {
          hint: `use one of ${[...REPORT_TYPES.map((t) => `${t.id} (${t.description})`), 'all'].join(', ')}`,
        });
      }
      const ctx = await openContext(o, { service: 'cli' });
      try {
        const record = o.scan ? await ctx.store.getScan(o.scan) : (await ctx.store.listScans(50)).find((s) => s.status === 'completed');
        if (!record) {
          throw new UsageError(o.scan ? `scan ${o.scan} not found` : 'no completed scan yet', {
            hint: o.scan ? 'scan data expires after workers.retention.scanDataDays; `finops console` → scans lists them' : 'run `finops scan` first',
          });
        }
        if (record.status !== 'completed' || !record.reportDir) {
          throw new UsageError(`scan ${record.plan.scanId} has no report (status ${record.status})`, { hint: 'wait for it to finish, or retry its failed jobs in Bull Board' });
        }
        const report = await readReport(record.reportDir);
        if (wantsRendering(o)) {
          process.stdout.write(await renderForCli(ctx.store, record, report, o));
          cli.setCode(EXIT.ok);
          return;
        }
        const rendered = type.render(report);
        const copiedTo = o.output ? await copyReport(record.reportDir, o.output) : undefined;
        printResult(o, `${rendered.text}${copiedTo ? `\nCopied to: ${copiedTo}` : ''}`, { type: type.id, scanId: report.scanId, reportDir: record.reportDir, copiedTo, report: rendered.json });
        cli.setCode(EXIT.ok);
      } finally {
        await ctx.close();
      }
    });
};
