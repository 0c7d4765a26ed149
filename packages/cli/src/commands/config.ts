// `finops config validate|show`: check a configuration, or print the effective one with secrets redacted.
import { loadConfig, redactConfig, renderDefaultConfig } from '@finops/core';
import { validateChecksConfig } from '@finops/checks';
import { stringify } from 'yaml';

export function validateConfigCommand(options: { config?: string }): number {
  const { source } = loadConfig({ configFile: options.config, validate: (c) => validateChecksConfig(c.checks) });
  process.stdout.write(`config OK: ${source}\n`);
  return 0;
}

export function showConfigCommand(options: { config?: string; json?: boolean }): number {
  const { config, source } = loadConfig({ configFile: options.config, validate: (c) => validateChecksConfig(c.checks) });
  const redacted = redactConfig(config);
  process.stdout.write(options.json ? `${JSON.stringify(redacted, null, 2)}\n` : `# effective configuration from ${source} (secrets redacted)\n${stringify(redacted)}`);
  return 0;
}

export function printDefaultsCommand(): number {
  process.stdout.write(renderDefaultConfig());
  return 0;
}
