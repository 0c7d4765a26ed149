// The deployment package a simulated function hands out (GetFunction Code.Location): a small zip as a data: URL.
import type { SimFunction } from '../estate-types.js';
import { hashString } from '../prng.js';

/** File names by runtime; one function in four also bundles a native module, as real packages often do. */
function packageFiles(fn: SimFunction): string[] {
  const native = hashString(fn.name, 21) % 4 === 0;
  if (fn.runtime.startsWith('nodejs')) {
    return ['index.js', 'package.json', 'node_modules/uuid/dist/index.js', ...(native ? ['node_modules/sharp/build/Release/sharp-linux-x64.node'] : [])];
  }
  if (fn.runtime.startsWith('python')) {
    return ['app.py', 'requirements.txt', ...(native ? ['numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so'] : [])];
  }
  if (fn.runtime.startsWith('java')) return ['com/example/Handler.class', 'lib/aws-lambda-java-core-1.2.3.jar'];
  if (fn.runtime.startsWith('dotnet')) return ['Function.dll', 'Function.deps.json'];
  return ['bootstrap'];
}

/** A zip of empty, stored files: valid for any reader (an empty file's CRC-32 is 0). */
export function emptyFilesZip(names: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const local = encoded.reduce((size, name) => size + 30 + name.length, 0);
  const central = encoded.reduce((size, name) => size + 46 + name.length, 0);
  const bytes = new Uint8Array(local + central + 22);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  const offsets: number[] = [];
  for (const name of encoded) {
    offsets.push(offset);
    view.setUint32(offset, 0x04034b50, true);
    view.setUint16(offset + 4, 20, true);
    view.setUint16(offset + 26, name.length, true);
    bytes.set(name, offset + 30);
    offset += 30 + name.length;
  }
  encoded.forEach((name, i) => {
    view.setUint32(offset, 0x02014b50, true);
    view.setUint16(offset + 4, 20, true);
    view.setUint16(offset + 6, 20, true);
    view.setUint16(offset + 28, name.length, true);
    view.setUint32(offset + 42, offsets[i] as number, true);
    bytes.set(name, offset + 46);
    offset += 46 + name.length;
  });
  view.setUint32(offset, 0x06054b50, true);
  view.setUint16(offset + 8, encoded.length, true);
  view.setUint16(offset + 10, encoded.length, true);
  view.setUint32(offset + 12, central, true);
  view.setUint32(offset + 16, local, true);
  return bytes;
}

/** Where AWS would hand out a presigned S3 URL, the simulator hands out the package itself. */
export function packageLocation(fn: SimFunction): string {
  return `data:application/zip;base64,${Buffer.from(emptyFilesZip(packageFiles(fn))).toString('base64')}`;
}
