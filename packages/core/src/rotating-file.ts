// A synchronous, size-rotated log file: `finops.log` → `finops.log.1` → … → `finops.log.<maxFiles>`, then dropped.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** Rotate once the file grows past this many bytes. */
  maxBytes: number;
  /** Rotated files kept beside the live one. */
  maxFiles: number;
}

/**
 * A pino destination that writes synchronously (no line is lost when the process exits) and rotates by size.
 * Rotation renames files, so a process that crashes mid-rotation leaves complete files behind.
 *
 * @example pino(options, new RotatingFile('/var/log/finops/api.log', { maxBytes: 50 * 2 ** 20, maxFiles: 5 }))
 */
export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = existsSync(path) ? statSync(path).size : 0;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.options.maxBytes) this.rotate();
    writeSync(this.fd, line);
    this.size += bytes;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.${this.options.maxFiles}`, { force: true });
    for (let n = this.options.maxFiles - 1; n >= 1; n -= 1) {
      if (existsSync(`${this.path}.${n}`)) renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
