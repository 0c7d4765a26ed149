// The size-rotated log file and per-component log levels.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { componentLogger, createLogger, type LogOutput } from './logger.js';
import { RotatingFile } from './rotating-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finops-rotate-'));
  dirs.push(dir);
  return dir;
}
function capture(): LogOutput & { lines: string[] } {
  const lines: string[] = [];
  return { isTTY: false, lines, write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) };
}

describe('RotatingFile', () => {
  it('rotates past maxBytes, keeps maxFiles and drops the oldest', () => {
    const path = join(tempDir(), 'logs', 'api.log');
    const file = new RotatingFile(path, { maxBytes: 20, maxFiles: 2 });
    for (const n of [1, 2, 3, 4]) file.write(`line ${n} 0123456789\n`);
    expect(readFileSync(path, 'utf8')).toBe('line 4 0123456789\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('line 3 0123456789\n');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('line 2 0123456789\n');
    expect(existsSync(`${path}.3`)).toBe(false);
  });

  it('is what createLogger writes logging.file through, with secrets redacted', () => {
    const path = join(tempDir(), 'worker.log');
    const logger = createLogger({ level: 'info', pretty: false, file: path, rotate: { maxSizeMb: 0.0002, maxFiles: 3 } }, { service: 'reporter' }, capture());
    for (let n = 0; n < 6; n += 1) logger.info({ token: 'never-shown', n }, 'tick');
    expect(existsSync(`${path}.1`)).toBe(true);
    const all = [path, `${path}.1`, `${path}.2`, `${path}.3`].filter(existsSync).map((p) => readFileSync(p, 'utf8')).join('');
    expect(all).not.toContain('never-shown');
    expect(all).toContain('"token":"***"');
  });
});

describe('log levels per component', () => {
  it('applies logging.levels to a service and to a component logger', () => {
    const out = capture();
    const logging = { level: 'warn' as const, pretty: false, levels: { discovery: 'info' as const, scheduler: 'debug' as const } };
    const discovery = createLogger(logging, { service: 'discovery' }, out);
    discovery.info('service info shown');
    const api = createLogger(logging, { service: 'api' }, out);
    api.info('api info hidden');
    componentLogger(api, 'scheduler', logging).debug('scheduler debug shown');
    componentLogger(api, 'metrics', logging).info('metrics info hidden');
    expect(out.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['service info shown', 'scheduler debug shown']);
    expect(JSON.parse(out.lines[1])).toMatchObject({ service: 'api', component: 'scheduler' });
  });
});
