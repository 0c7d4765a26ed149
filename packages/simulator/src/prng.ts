// Seeded hashes and pseudo-random streams: everything the simulator invents derives from these, never Math.random.

/** murmur3's 32-bit finalizer: spreads every input bit over the whole word. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit hash of a string; `salt` gives independent hashes of the same text. */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ fmix32(salt + 0x9e3779b9)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return fmix32(h ^ text.length);
}

/** A 32-bit hash of two integers, used to read one point of a series without generating the points before it. */
export function mix32(a: number, b: number): number {
  const high = Math.floor(b / 4294967296);
  return fmix32(a ^ fmix32(((b >>> 0) ^ Math.imul(high, 0x27d4eb2f)) + 0x9e3779b9));
}

/** A uniform number in [0, 1) for the point `b` of the series keyed `a`. */
export function unitAt(a: number, b: number): number {
  return mix32(a, b) / 4294967296;
}

/**
 * A seeded stream (sfc32, 128-bit state) keyed by a string such as `42|111111111111|eu-west-1`.
 * The same key always yields the same sequence, in every process.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(key: string) {
    this.#a = hashString(key, 1);
    this.#b = hashString(key, 2);
    this.#c = hashString(key, 3);
    this.#d = hashString(key, 4);
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate from its seed words.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick needs at least one item');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** Lower-case hex digits, e.g. the 17 of an EC2 id. */
  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, digits);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
