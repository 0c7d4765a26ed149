// Instance type parsing and the size rule.
import { describe, expect, it } from 'vitest';
import { familyCandidates, parseInstanceType, sizeFactor } from './instance-type.js';

const factors = { nano: 0.25, large: 4, xlarge: 8, '2xlarge': 16 };

describe('parseInstanceType', () => {
  it('splits family and size at the last dot', () => {
    expect(parseInstanceType('m5.large')).toEqual({ family: 'm5', size: 'large' });
    expect(parseInstanceType('db.r6g.2xlarge')).toEqual({ family: 'db.r6g', size: '2xlarge' });
    expect(parseInstanceType('M5.Large')).toEqual({ family: 'm5', size: 'large' });
  });

  it('rejects types without both parts', () => {
    for (const junk of ['', 'm5', '.large', 'm5.']) expect(parseInstanceType(junk), junk).toBeUndefined();
  });
});

describe('familyCandidates', () => {
  it('tries the family, then shorter siblings down to letters+generation', () => {
    expect(familyCandidates('m5dn')).toEqual(['m5dn', 'm5d', 'm5']);
    expect(familyCandidates('db.m6gd')).toEqual(['db.m6gd', 'db.m6g', 'db.m6']);
    expect(familyCandidates('m5')).toEqual(['m5']);
    expect(familyCandidates('u-6tb1')).toEqual(['u-6tb1']);
  });
});

describe('sizeFactor', () => {
  it('reads listed factors and derives <n>xlarge and metal-<n>xl', () => {
    expect(sizeFactor('nano', factors)).toBe(0.25);
    expect(sizeFactor('2xlarge', factors)).toBe(16);
    expect(sizeFactor('48xlarge', factors)).toBe(384);
    expect(sizeFactor('metal-24xl', factors)).toBe(192);
    expect(sizeFactor('metal', factors)).toBeUndefined();
    expect(sizeFactor('huge', factors)).toBeUndefined();
  });
});
