// `finops pricing refresh`: reads current on-demand prices from the AWS Price List API into the price table override file.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, UsageError, createLogger, loadConfig } from '@finops/core';
import { createAwsRuntime } from '@finops/pipeline';
import { bundledPriceTableData, priceListQueries, priceTableFromPriceList, writePriceTableFile } from '@finops/pricing';
import { configOverrides, list, optionsOf, printResult, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';

/**
 * Asks pricing:GetProducts (us-east-1) for EC2 Linux, EBS, RDS PostgreSQL and Lambda prices of `--regions` (default:
 * the scanned regions), builds an override of the bundled price table, validates it and writes it to `--output`
 * (default: pricing.overrideFile, which every service loads at start-up). Needs no Redis.
 */
export async function refreshPricesCommand(options: GlobalOptions, now: Date = new Date()): Promise<number> {
  const { config } = loadConfig({ configFile: options.config, overrides: configOverrides(options, { quiet: true }) });
  const logger = createLogger(config.logging, { service: 'cli' }, process.stderr);
  const runtime = createAwsRuntime(config, logger);
  try {
    const regions = list(options.regions) ?? (await runtime.regions());
    if (!regions.length) throw new UsageError('no region to refresh prices for', { hint: 'pass --regions us-east-1,eu-west-1' });
    const base = bundledPriceTableData();
    const products = await runtime.access.fetchPriceList(priceListQueries(regions, base.regions.referenceRegion));
    const date = now.toISOString().slice(0, 10);
    const { override, counts } = priceTableFromPriceList(products, { base, date, regions });
    if (counts.ec2Types === 0 && counts.rdsClasses === 0) {
      throw new UsageError(`the AWS Price List returned no EC2 or RDS prices for ${regions.join(', ')}`, {
        hint: 'check the region names; the bundled prices stay in use',
      });
    }
    const file = resolve(options.output ?? config.pricing.overrideFile);
    writePriceTableFile(file, override);
    printResult(
      options,
      () =>
        [
          `wrote ${file}: ${counts.ec2Types} EC2 instance prices, ${counts.rdsClasses} RDS class prices, ${counts.ebsTypes} EBS volume types, ` +
            `${counts.lambda} Lambda rates, ${counts.regionRatios} region ratios from ${products.length} Price List products`,
          file === resolve(config.pricing.overrideFile)
            ? 'services load it at start-up (pricing.overrideFile); restart them to use the new prices'
            : `to use it, set pricing.overrideFile: ${file}`,
        ].join('\n'),
      { file, date, regions, products: products.length, ...counts },
    );
    return EXIT.ok;
  } finally {
    runtime.close();
  }
}

export const registerPricing: CommandRegistration = (program, cli) => {
  program
    .command('pricing')
    .description('the price table')
    .command('refresh')
    .description('read on-demand prices from the AWS Price List API (--regions) into the override file (--output, default pricing.overrideFile)')
    .action(async (_o, command: Command) => cli.setCode(await refreshPricesCommand(optionsOf(command))));
};
