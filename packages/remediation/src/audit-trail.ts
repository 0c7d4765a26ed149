// The audit trail: an append-only Redis stream of every dry run, live action, approval, rejection and rollback.
import type { Redis } from 'ioredis';
import type { AuditEntry } from './remediation-types.js';

export interface AuditQuery {
  resourceId?: string;
  accountId?: string;
  runId?: string;
  actionId?: string;
  /** Inclusive bounds. */
  since?: Date;
  until?: Date;
  /** Most entries returned, newest first (default 100). */
  limit?: number;
}

/** Entries read from the stream per round trip while filtering. */
const PAGE = 500;

/**
 * The stream `<prefix>:remediation:audit`. Entries are only ever added (XADD); each add trims entries older than the
 * retention (XTRIM MINID, exact: nothing older is ever read). Stream ids are times, so a time range is a range read.
 */
export class AuditTrail {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; retentionDays: number },
  ) {}

  get key(): string {
    return `${this.options.prefix}:remediation:audit`;
  }

  /** Appends one entry; returns its stream id. Trims by the new id's time: Redis's clock, the one the ids use. */
  async append(entry: AuditEntry): Promise<string> {
    const { id: _ignored, ...body } = entry;
    const id = String(await this.redis.xadd(this.key, '*', 'entry', JSON.stringify(body)));
    const oldest = Number(id.split('-')[0]) - Math.round(this.options.retentionDays * 86_400_000);
    await this.redis.xtrim(this.key, 'MINID', String(Math.max(0, oldest)));
    return id;
  }

  /** Entries matching the query, newest first. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = query.limit ?? 100;
    const matches = (entry: AuditEntry) =>
      (query.resourceId === undefined || entry.resourceId === query.resourceId) &&
      (query.accountId === undefined || entry.accountId === query.accountId) &&
      (query.runId === undefined || entry.runId === query.runId) &&
      (query.actionId === undefined || entry.actionId === query.actionId);
    const found: AuditEntry[] = [];
    let end = query.until ? String(query.until.getTime()) : '+';
    const start = query.since ? String(query.since.getTime()) : '-';
    for (;;) {
      const page = (await this.redis.xrevrange(this.key, end, start, 'COUNT', PAGE)) as [string, string[]][];
      for (const [id, fields] of page) {
        const raw = fields[fields.indexOf('entry') + 1];
        if (raw === undefined) continue;
        const entry = { id, ...(JSON.parse(raw) as AuditEntry) };
        if (matches(entry)) found.push(entry);
        if (found.length >= limit) return found;
      }
      if (page.length < PAGE) return found;
      // Continue strictly before the last id read: `(` makes the bound exclusive (Redis ≥ 6.2).
      end = `(${page[page.length - 1]![0]}`;
    }
  }
}
