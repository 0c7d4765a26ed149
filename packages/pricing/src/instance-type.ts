// Parsing of instance types and DB instance classes into family and size, and the size rule that scales prices.

export interface InstanceTypeParts {
  /** `m5`, `t3a`, `db.r6g` */
  family: string;
  /** `large`, `2xlarge`, `metal` */
  size: string;
}

/** `m5.large` → {family: m5, size: large}; `db.r6g.xlarge` → {family: db.r6g, size: xlarge}; junk → undefined. */
export function parseInstanceType(type: string): InstanceTypeParts | undefined {
  const dot = type.lastIndexOf('.');
  if (dot <= 0 || dot === type.length - 1) return undefined;
  return { family: type.slice(0, dot).toLowerCase(), size: type.slice(dot + 1).toLowerCase() };
}

/**
 * Families to try for a type the table may not list, most specific first: `m5dn` → m5dn, m5d, m5;
 * `m7i-flex` → …, m7i. Variants with local disks or faster networking cost somewhat more than their base
 * family, so a sibling's price is a lower bound, which keeps savings estimates conservative.
 */
export function familyCandidates(family: string): string[] {
  const core = /^(?:db\.)?[a-z]+\d+/.exec(family)?.[0];
  if (!core) return [family];
  const candidates: string[] = [];
  for (let end = family.length; end >= core.length; end--) candidates.push(family.slice(0, end));
  return candidates;
}

/**
 * The size factor of a size (AWS normalization factors: nano 0.25 … large 4, xlarge 8, 2xlarge 16, …): the table's
 * list first, then `<n>xlarge` = 8n and `metal-<n>xl` = 8n. Plain `metal` has no factor of its own (it is the
 * family's largest size) and returns undefined, as does anything unrecognized.
 */
export function sizeFactor(size: string, factors: Record<string, number>): number | undefined {
  const listed = factors[size];
  if (listed !== undefined) return listed;
  const multiple = /^(?:(\d+)xlarge|metal-(\d+)xl)$/.exec(size);
  if (multiple) return Number(multiple[1] ?? multiple[2]) * 8;
  return undefined;
}

/** vCPUs of a size in a standard (non-burstable) family: large = 2 vCPUs, and the factor is 2 per vCPU. */
export function vcpusOfFactor(factor: number): number {
  return factor / 2;
}
