// createLogger: JSON or readable lines, an optional file copy, levels, and secrets that never reach the output.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogOutput } from './logger.js';

/** An in-memory stdout. */
function capture(isTTY = false): LogOutput & { lines: string[] } {
  const lines: string[] = [];
  return { isTTY, lines, write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createLogger', () => {
  it('writes one JSON object per line with the service, a level label and an ISO time', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: false }, { service: 'discovery', region: 'eu-west-1' }, out).info({ pages: 3 }, 'listed volumes');
    expect(out.lines).toHaveLength(1);
    const entry = JSON.parse(out.lines[0]) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', service: 'discovery', region: 'eu-west-1', pages: 3, msg: 'listed volumes' });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('drops lines below the level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', pretty: false }, { service: 'api' }, out);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown']);
  });

  it('redacts secrets and the credentials in URLs', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: false }, { service: 'api' }, out).info(
      {
        password: 'p1',
        auth: { token: 't1', type: 'bearer' },
        credentials: { secretAccessKey: 'k1', sessionToken: 's1', accessKeyId: 'AKIAEXAMPLE' },
        req: { headers: { authorization: 'Bearer abc' } },
        url: 'redis://app:hunter2@cache:6379',
        channel: { url: 'https://example.com/plain' },
      },
      'request',
    );
    const line = out.lines[0];
    expect(line).not.toMatch(/p1|t1|k1|s1|Bearer abc|hunter2/);
    expect(JSON.parse(line)).toMatchObject({
      password: '***',
      auth: { token: '***', type: 'bearer' },
      credentials: { secretAccessKey: '***', sessionToken: '***', accessKeyId: 'AKIAEXAMPLE' },
      req: { headers: { authorization: '***' } },
      url: 'redis://app:***@cache:6379',
      channel: { url: 'https://example.com/plain' },
    });
  });

  it('writes readable lines when pretty, including the error stack', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', pretty: true }, { service: 'reporter' }, out);
    logger.info({ scanId: 'scan-1', note: 'two words' }, 'report written');
    logger.error({ err: new Error('disk full') }, 'write failed');
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[reporter\] report written scanId=scan-1 note="two words"$/);
    expect(out.lines[1]).toMatch(/ERROR \[reporter\] write failed$/);
    expect(out.lines[2]).toMatch(/^ {4}Error: disk full$/);
    expect(out.lines.some((line) => line.includes('logger.test.ts'))).toBe(true);
  });

  it('defaults to readable lines on a terminal and JSON elsewhere', () => {
    const terminal = capture(true);
    createLogger({ level: 'info' }, { service: 'cli' }, terminal).info('hello');
    expect(terminal.lines[0]).toContain('[cli] hello');
    expect(() => JSON.parse(terminal.lines[0])).toThrow();

    const pipe = capture(false);
    createLogger({ level: 'info' }, { service: 'cli' }, pipe).info('hello');
    expect(JSON.parse(pipe.lines[0])).toMatchObject({ msg: 'hello' });
  });

  it('also writes JSON to logging.file, creating its directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finops-log-'));
    dirs.push(dir);
    const file = join(dir, 'logs', 'worker.log');
    const out = capture();
    const logger = createLogger({ level: 'info', pretty: true, file }, { service: 'optimizer' }, out);
    logger.info({ token: 'secret-token' }, 'started');
    expect(out.lines[0]).toContain('[optimizer] started');
    const entry = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
    expect(entry).toMatchObject({ service: 'optimizer', msg: 'started', token: '***' });
  });

  it('writes nothing when silent', () => {
    const out = capture();
    createLogger({ level: 'silent', pretty: false }, { service: 'test' }, out).fatal('nothing');
    expect(out.lines).toEqual([]);
  });
});
