import { deflateRawSync } from 'node:zlib';

/** One file to store in a zip; `name` uses forward slashes, as the zip format requires. */
export interface ZipEntry {
  name: string;
  content: Buffer;
  /** Unix permission bits, e.g. 0o644; the archive provider records them so Lambda can read the file. */
  mode: number;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const VERSION_NEEDED = 20; // 2.0: deflate
// High byte 3 = Unix, so readers take the permission bits from the external attributes.
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const METHOD_DEFLATE = 8;
const FLAG_UTF8_NAME = 0x0800;
const REGULAR_FILE = 0o100000;
// A fixed timestamp (1980-01-01 00:00, the earliest DOS date) keeps the zip, and so its hash,
// the same on every run, as hashicorp/archive does with its own constant time.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffffffff;

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE, as zip uses); Node 20's zlib does not expose one. */
export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface PreparedEntry {
  name: Buffer;
  flags: number;
  crc: number;
  compressed: Buffer;
  size: number;
  mode: number;
  offset: number;
}

function prepare(entry: ZipEntry, offset: number): PreparedEntry {
  const name = Buffer.from(entry.name, 'utf8');
  const nonAscii = name.length !== entry.name.length;
  if (entry.content.length > MAX_UINT32) throw new Error(`${entry.name} is too large for a zip without zip64`);
  return {
    name,
    flags: nonAscii ? FLAG_UTF8_NAME : 0,
    crc: crc32(entry.content),
    compressed: deflateRawSync(entry.content),
    size: entry.content.length,
    mode: entry.mode,
    offset,
  };
}

function localHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(METHOD_DEFLATE, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressed.length, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(0, 28); // no extra field
  return Buffer.concat([header, entry.name]);
}

function centralHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(METHOD_DEFLATE, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressed.length, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  // extra length, comment length, disk number, internal attributes: all 0 (offsets 30-37)
  header.writeUInt32LE((((REGULAR_FILE | (entry.mode & 0o7777)) << 16) >>> 0), 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  // disk numbers (offsets 4-7) stay 0: one-disk archive
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  record.writeUInt16LE(0, 20); // no comment
  return record;
}

/**
 * Builds a deflated zip of `entries`, in the order given. The same entries always give the
 * same bytes (for a given zlib), so hashes of it are stable across runs.
 */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > MAX_UINT16) throw new Error(`${entries.length} entries need zip64, which this writer does not write`);
  const parts: Buffer[] = [];
  const prepared: PreparedEntry[] = [];
  let offset = 0;
  for (const entry of entries) {
    const item = prepare(entry, offset);
    const header = localHeader(item);
    parts.push(header, item.compressed);
    prepared.push(item);
    offset += header.length + item.compressed.length;
  }
  const central = Buffer.concat(prepared.map(centralHeader));
  if (offset + central.length > MAX_UINT32) throw new Error('archive is too large for a zip without zip64');
  return Buffer.concat([...parts, central, endOfCentralDirectory(prepared.length, central.length, offset)]);
}

/** A zip of one file, as `data.archive_file` makes of a `source_file` (0644 is what the stacks set). */
export function zipSingleFile(name: string, content: Buffer, mode = 0o644): Buffer {
  return buildZip([{ name, content, mode }]);
}
