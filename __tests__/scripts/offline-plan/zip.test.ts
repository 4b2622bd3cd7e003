import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildZip, crc32, zipSingleFile } from '../../../scripts/offline-plan/zip';

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  unixMode: number;
  madeBy: number;
  localOffset: number;
}

/** Reads the zip the way unzip does: from the end record to the central directory to the local headers. */
function readZip(zip: Buffer): { entries: CentralEntry[]; data: (entry: CentralEntry) => Buffer } {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  const centralSize = zip.readUInt32LE(end + 12);
  let offset = zip.readUInt32LE(end + 16);
  expect(offset + centralSize).toBe(end);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      madeBy: zip.readUInt16LE(offset + 4),
      flags: zip.readUInt16LE(offset + 8),
      method: zip.readUInt16LE(offset + 10),
      crc: zip.readUInt32LE(offset + 16),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      unixMode: zip.readUInt32LE(offset + 38) >>> 16,
      localOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  const data = (entry: CentralEntry) => {
    const local = entry.localOffset;
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    expect(zip.readUInt32LE(local + 14)).toBe(entry.crc);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    return inflateRawSync(zip.subarray(start, start + entry.compressedSize));
  };
  return { entries, data };
}

function available(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});

describe('zip writer', () => {
  const content = Buffer.from('exports.handler = async () => "ok";\n'.repeat(50));

  it('writes one deflated entry named as given, with the CRC, sizes and mode of its content', () => {
    const { entries, data } = readZip(zipSingleFile('index.js', content));
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ name: 'index.js', method: 8, size: content.length, crc: crc32(content), unixMode: 0o100644, madeBy: (3 << 8) | 20 });
    expect(entry.compressedSize).toBeLessThan(content.length);
    expect(data(entry).equals(content)).toBe(true);
  });

  it('gives the same bytes every time, so its hash is stable', () => {
    expect(zipSingleFile('index.js', content).equals(zipSingleFile('index.js', content))).toBe(true);
  });

  it('keeps several entries in order, each with its own offset and mode, and flags UTF-8 names', () => {
    const zip = buildZip([
      { name: 'a/one.txt', content: Buffer.from('one'), mode: 0o644 },
      { name: 'b/twö.sh', content: Buffer.alloc(0), mode: 0o755 },
    ]);
    const { entries, data } = readZip(zip);
    expect(entries.map((entry) => entry.name)).toEqual(['a/one.txt', 'b/twö.sh']);
    expect(entries.map((entry) => entry.unixMode & 0o777)).toEqual([0o644, 0o755]);
    expect(entries.map((entry) => entry.flags & 0x0800)).toEqual([0, 0x0800]);
    expect(data(entries[0]).toString()).toBe('one');
    expect(data(entries[1])).toHaveLength(0);
  });

  describe('read by independent zip tools', () => {
    let dir: string;
    let path: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'zip-writer-'));
      path = join(dir, 'bundle.zip');
      writeFileSync(path, buildZip([{ name: 'index.js', content, mode: 0o644 }, { name: 'lib/util.js', content: Buffer.from('x'), mode: 0o644 }]));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const python = available('python3', ['--version']);
    (python ? it : it.skip)('passes python3 -m zipfile -t', () => {
      const result = spawnSync('python3', ['-m', 'zipfile', '-t', path], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    const unzip = available('unzip', ['-v']);
    (unzip ? it : it.skip)('passes unzip -t, which checks every CRC', () => {
      const result = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
      expect(result.stdout).toContain('No errors detected');
      expect(result.status).toBe(0);
    });
  });
});
