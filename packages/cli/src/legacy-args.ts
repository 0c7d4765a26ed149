// The seed CLI's flag forms, rewritten to commands: `finops --report optimization` → `finops report --type optimization`.

/** Global flags that take a value: their value is never a command name. */
const VALUE_FLAGS = new Set(['--config', '--services', '--regions', '--accounts', '--interval', '--log-file', '--output', '--report']);

/** Legacy flag → the command words that replace it. `--report` takes the report type along. */
const LEGACY: Record<string, string[]> = {
  '--continuous': ['scan', '--continuous'],
  '--schedule': ['schedule', 'serve'],
  '--validate-config': ['config', 'validate'],
  '--test-connection': ['test-connection'],
};

/** The first word that is not a flag or a flag's value: the command, if any. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('-')) return arg;
    if (VALUE_FLAGS.has(arg)) i += 1;
  }
  return undefined;
}

/**
 * Rewrites a legacy invocation; anything with a command word is returned unchanged. Without a command word and
 * without a legacy flag, flags such as `--services ec2,rds` mean a scan, as they did in the seed.
 *
 * @example translateLegacyArgs(['--continuous', '--interval', '15']) // ['scan', '--continuous', '--interval', '15']
 */
export function translateLegacyArgs(argv: readonly string[]): string[] {
  if (commandWord(argv) !== undefined) return [...argv];
  const rest = [...argv];
  const reportAt = rest.indexOf('--report');
  if (reportAt >= 0) {
    const [, type] = rest.splice(reportAt, 2);
    return ['report', ...(type ? ['--type', type] : []), ...rest];
  }
  for (const [flag, words] of Object.entries(LEGACY)) {
    const at = rest.indexOf(flag);
    if (at >= 0) {
      rest.splice(at, 1);
      return [...words, ...rest];
    }
  }
  const meansScan = rest.some((a) => ['--services', '--regions', '--accounts', '--live', '--dry-run'].includes(a));
  return meansScan ? ['scan', ...rest] : rest;
}
