// Runs the finops CLI in-process (or as a real process) and captures its exit code, stdout and stderr.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, run } from '@finops/cli';
import { vi } from 'vitest';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CapturedOutput {
  /** What was written to process.stdout since the capture began (read it at any time, while a command runs too). */
  readonly stdout: string;
  readonly stderr: string;
  /** Lets writes through to the real streams again. */
  restore(): void;
}

/** Captures what this process writes to stdout and stderr until `restore()` (or vi.restoreAllMocks()). */
export function captureOutput(): CapturedOutput {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** `finops <argv>` in this process, with stdout and stderr captured (the CLI writes through process.std*). */
export async function cli(...argv: string[]): Promise<CliResult> {
  const output = captureOutput();
  try {
    const code = await run(argv);
    return { code, stdout: output.stdout, stderr: output.stderr };
  } finally {
    output.restore();
  }
}

/** `finops <argv>` as a child process, as a user runs it (`pnpm finops …`). */
export function cliProcess(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'packages/cli/src/bin.ts'), ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A stack trace line (`    at fn (file.ts:1:2)`), which a user-facing error must never show. */
export const STACK_LINE = /^\s+at .+(\(|\s)\S+:\d+(:\d+)?\)?$/m;
