// Whether an instance can move from one type to another in place (stop, modify, start) without breaking its boot.

/** Graviton and other Arm families: a `g` right after the generation digit (m7g, c6gn, t4g, r6gd), and a1. */
function isArm(type: string): boolean {
  const family = type.split('.')[0] ?? '';
  return family === 'a1' || /^[a-z]+\d+g/.test(family);
}

function isMac(type: string): boolean {
  return type.startsWith('mac');
}

/** Xen-based families: moving them to Nitro needs the ENA and NVMe drivers in the instance's OS. */
const XEN_FAMILIES = new Set(['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'c1', 'c3', 'c4', 'r3', 'r4', 'i2', 'i3', 'd2', 'x1', 'x1e', 'p2', 'p3', 'g3', 'h1', 'f1']);

function family(type: string): string {
  return type.split('.')[0] ?? '';
}

/**
 * Undefined when `from` → `to` is a safe in-place change, else why not. `enaSupport` is the instance's EnaSupport
 * attribute (undefined when unknown).
 *
 * @example typeChangeProblem('m5.xlarge', 'm5.large', true) // undefined
 * @example typeChangeProblem('m5.large', 'm7g.large', true) // 'the architecture would change …'
 */
export function typeChangeProblem(from: string, to: string, enaSupport: boolean | undefined): string | undefined {
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(to)) return `"${to}" is not an instance type`;
  if (isArm(from) !== isArm(to)) {
    return `the architecture would change (${isArm(from) ? 'arm64' : 'x86_64'} → ${isArm(to) ? 'arm64' : 'x86_64'}): that needs a new AMI, not a type change`;
  }
  if (isMac(from) !== isMac(to)) return 'mac instances run on dedicated hosts: their type cannot be changed in place';
  if (XEN_FAMILIES.has(family(from)) && !XEN_FAMILIES.has(family(to)) && enaSupport !== true) {
    return `${family(from)} runs on Xen and ${family(to)} on Nitro: the instance has no ENA support enabled (and may lack NVMe drivers)`;
  }
  return undefined;
}
