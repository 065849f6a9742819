// Archive writers for the stand-ins and the tests, with no dependencies: tar (ustar), tar.gz and
// zip (deflate, or stored). Deterministic: entries in the given order, fixed timestamps.
import { deflateRawSync, gzipSync } from 'node:zlib';

import { foldersOf } from './tree.mjs';

const MTIME = 1_735_689_600; // 2025-01-01T00:00:00Z

function octal(value, width) {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One 512-byte ustar header; long names go to the prefix field, split at a '/'. */
function tarHeader(path, size, type) {
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
      if (Buffer.byteLength(path.slice(at + 1)) <= 100 && Buffer.byteLength(path.slice(0, at)) <= 155) {
        prefix = path.slice(0, at);
        name = path.slice(at + 1);
        break;
      }
    }
    if (!prefix) throw new Error(`tar: path too long for ustar: ${path}`);
  }
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(MTIME, 12), 136);
  header.write('        ', 148); // checksum placeholder: eight spaces
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write('root', 265);
  header.write('root', 297);
  header.write(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148);
  return header;
}

/** A tar of files ([{path, bytes}]), with an entry for each folder before its files. */
export function tar(files, { folders = true } = {}) {
  const parts = [];
  if (folders) for (const folder of foldersOf(files)) parts.push(tarHeader(`${folder}/`, 0, '5'));
  for (const { path, bytes } of files) {
    parts.push(tarHeader(path, bytes.length, '0'), bytes);
    const pad = (512 - (bytes.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return Buffer.concat(parts);
}

export const tarGz = (files, options) => gzipSync(tar(files, options), { level: 9 });

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(bytes) {
  let c = -1;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * A zip of files ([{path, bytes}]), each deflated unless that makes it larger, with an entry for
 * each folder (as zip tools write them). prefix ('project/') puts everything under one folder,
 * as bolt.new's Download does.
 */
export function zip(files, { prefix = '', folders = true } = {}) {
  const entries = [];
  const all = prefix ? [{ path: prefix.replace(/\/$/, ''), folder: true }] : [];
  if (folders) for (const folder of foldersOf(files)) all.push({ path: prefix + folder, folder: true });
  for (const file of files) all.push({ path: prefix + file.path, bytes: file.bytes });
  const locals = [];
  let offset = 0;
  const DOS_TIME = 0; // 00:00:00
  const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1; // 2025-01-01
  for (const entry of all) {
    const name = Buffer.from(entry.folder ? `${entry.path}/` : entry.path, 'utf8');
    const raw = entry.folder ? Buffer.alloc(0) : entry.bytes;
    const deflated = raw.length ? deflateRawSync(raw, { level: 9 }) : raw;
    const method = deflated.length < raw.length ? 8 : 0;
    const data = method === 8 ? deflated : raw;
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    entries.push({ name, method, crc, compressed: data.length, size: raw.length, offset, folder: entry.folder });
    offset += local.length + name.length + data.length;
  }
  const central = [];
  let centralSize = 0;
  for (const e of entries) {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(e.method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(e.crc, 16);
    header.writeUInt32LE(e.compressed, 20);
    header.writeUInt32LE(e.size, 24);
    header.writeUInt16LE(e.name.length, 28);
    header.writeUInt32LE(((e.folder ? 0o40755 : 0o100644) << 16) >>> 0, 38);
    header.writeUInt32LE(e.offset, 42);
    central.push(header, e.name);
    centralSize += header.length + e.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
