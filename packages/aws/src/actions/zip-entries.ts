// Lists the file names of a zip archive from its central directory (no decompression), to look for native code.

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

/**
 * The names of the entries of a zip file. Throws when the bytes are not a zip archive.
 *
 * @example zipEntryNames(bytes) // ['index.js', 'node_modules/sharp/build/Release/sharp.node']
 */
export function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  let end = -1;
  for (let offset = bytes.byteLength - 22; offset >= Math.max(0, bytes.byteLength - 22 - 65_535); offset--) {
    if (view.getUint32(offset, true) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error('not a zip archive: broken central directory');
    }
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Shared objects, Node addons and executables built for one CPU: they break when the architecture changes. */
const NATIVE = /(\.so(\.\d+)*|\.node|\.dylib|\.dll|\.exe|\.a)$/i;

/** Entries of a deployment package that hold native code. */
export function nativeEntries(names: readonly string[]): string[] {
  return names.filter((name) => NATIVE.test(name));
}
