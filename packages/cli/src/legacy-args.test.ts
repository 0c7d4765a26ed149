// The seed's flag forms keep working: they are rewritten to commands before parsing.
import { describe, expect, it } from 'vitest';
import { translateLegacyArgs } from './legacy-args.js';

describe('translateLegacyArgs', () => {
  it.each([
    [['--continuous', '--interval', '15'], ['scan', '--continuous', '--interval', '15']],
    [['--schedule', '--daemon'], ['schedule', 'serve', '--daemon']],
    [['--report', 'optimization', '--json'], ['report', '--type', 'optimization', '--json']],
    [['--config', 'my.yaml', '--validate-config'], ['config', 'validate', '--config', 'my.yaml']],
    [['--test-connection'], ['test-connection']],
    [['--services', 'ec2,rds,lambda'], ['scan', '--services', 'ec2,rds,lambda']],
    [['--dry-run', '--regions', 'eu-west-1'], ['scan', '--dry-run', '--regions', 'eu-west-1']],
  ])('%j → %j', (argv, expected) => {
    expect(translateLegacyArgs(argv)).toEqual(expected);
  });

  it('leaves command lines alone, even when a flag value looks like a command', () => {
    expect(translateLegacyArgs(['scan', '--continuous'])).toEqual(['scan', '--continuous']);
    expect(translateLegacyArgs(['--config', 'report', 'schedule', 'list'])).toEqual(['--config', 'report', 'schedule', 'list']);
    expect(translateLegacyArgs(['--help'])).toEqual(['--help']);
    expect(translateLegacyArgs([])).toEqual([]);
  });
});
