// `finops reject <ids…> --reason`: reject recommendations, so live runs skip them (until approved again).
import type { Command } from 'commander';
import type { CommandRegistration } from '../cli-runtime.js';
import { runDecision } from './approve.js';

export const registerReject: CommandRegistration = (program, cli) => {
  program
    .command('reject <recommendationIds...>')
    .description('reject recommendations: live runs skip them and the audit trail records why')
    .requiredOption('--reason <text>', 'why they are rejected')
    .option('--scan <scanId>', 'the scan whose recommendations are rejected (default: the newest completed)')
    .option('--actor <who>', 'who rejects, for the audit trail (default: $USER@host)')
    .action((ids: string[], _o, command: Command) => runDecision(cli, command, ids, 'rejected'));
};
