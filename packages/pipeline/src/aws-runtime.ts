// Composes AWS access for a process: the real adapter, with the simulated account plugged in when configured.
import { CALLER_ACCOUNT, createAwsAccess, type AwsAccess } from '@finops/aws';
import { AWS_REGIONS, type Config } from '@finops/core';
import { createSimulatedAws, type SimulatedAws } from '@finops/simulator';
import type { Logger } from '@finops/core';

export interface AwsRuntime {
  access: AwsAccess;
  /** Present when `aws.provider` is `simulated`: the same adapter code then talks to the simulated estate. */
  simulator?: SimulatedAws;
  /** Accounts a scan covers by default. */
  accounts(): Promise<string[]>;
  /** Regions a scan covers by default. */
  regions(): Promise<string[]>;
  close(): void;
}

/** The regions worker pools of this config serve: `workers.regions`, else the scanned regions. */
export function servedRegions(config: Config): string[] {
  if (config.workers.regions) return config.workers.regions;
  return config.aws.regions === 'all' ? [...AWS_REGIONS] : config.aws.regions;
}

export function createAwsRuntime(config: Config, logger: Logger): AwsRuntime {
  if (config.aws.provider === 'simulated') {
    const regions = config.aws.regions === 'all' ? ['us-east-1', 'us-west-2', 'eu-west-1'] : config.aws.regions;
    const simulator = createSimulatedAws(config.simulation, regions);
    const access = createAwsAccess({
      aws: config.aws,
      // The default credentials belong to the first simulated account, as a real scanner runs in its management account.
      plugins: (scope) => [
        simulator.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? simulator.accounts[0]! : scope.accountId }),
      ],
      // The simulator needs no secrets; fixed fake keys let the SDK sign requests as it would for AWS.
      credentials: { accessKeyId: 'ASIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' },
      logger,
    });
    return {
      access,
      simulator,
      accounts: async () => (config.aws.accounts.length ? config.aws.accounts.map((a) => a.id) : simulator.accounts),
      regions: async () => regions,
      close: () => access.close(),
    };
  }
  const access = createAwsAccess({ aws: config.aws, logger });
  return {
    access,
    accounts: () => access.resolveAccounts(),
    regions: () => access.resolveRegions(),
    close: () => access.close(),
  };
}
