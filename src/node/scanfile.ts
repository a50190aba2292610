// Streams a file from disk through the core scanner in fixed-size chunks: constant memory at any size.
// UTF-8 files go to the scanner as raw bytes (only candidate lines are ever decoded); UTF-16 files are decoded
// chunk by chunk first.
import * as fs from 'node:fs';
import { Matcher, RawFinding, ScanOptions, StreamScanner } from '../core/scan/scanner';
import { parseCsvHeader } from '../core/scan/csv';
import { sniffBytes, Sniff } from './files';

export interface FileScan {
  findings: RawFinding[];
  lines: number;
  bytes: number;
  sniff: Sniff;
  /** set when the file was skipped (binary) */
  skipped?: string;
  truncated: number;
}

export const CHUNK = 1 << 20;

/** Buffers: their indexOf (memchr) is what the scanner counts newlines with. */
const alloc = (n: number) => Buffer.allocUnsafe(n);

export function scanFileSync(file: string, matcher: Matcher, opts: ScanOptions = {}, onProgress?: (bytes: number) => boolean | void): FileScan {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n = fs.readSync(fd, buf, 0, CHUNK, null);
    const sniff = sniffBytes(buf.subarray(0, Math.min(n, 8192)));
    if (sniff.binary) return { findings: [], lines: 0, bytes: fs.fstatSync(fd).size, sniff, skipped: 'binary file', truncated: 0 };
    if (!opts.csvHeader && /\.csv$/i.test(file)) {
      // a report: its header row tells which cell explains a finding and which columns give side and user
      const head = new TextDecoder(sniff.encoding).decode(buf.subarray(sniff.bom, n));
      const nl = head.indexOf('\n');
      const header = parseCsvHeader((nl >= 0 ? head.slice(0, nl) : head).replace(/\r$/, ''));
      if (header) opts = { ...opts, csvHeader: header };
    }
    const scanner = new StreamScanner(matcher, opts, alloc);
    const decoder = sniff.encoding === 'utf-8' ? undefined : new TextDecoder(sniff.encoding);
    let bytes = 0;
    let first = true;
    while (n > 0) {
      const view = first ? buf.subarray(sniff.bom, n) : buf.subarray(0, n);
      first = false;
      if (decoder) scanner.push(decoder.decode(view, { stream: true }));
      else scanner.pushBytes(view);
      bytes += n;
      if (onProgress && onProgress(bytes) === false) break;
      n = fs.readSync(fd, buf, 0, CHUNK, null);
    }
    if (decoder) scanner.push(decoder.decode());
    scanner.end();
    return { findings: scanner.sink.findings, lines: scanner.lines, bytes, sniff, truncated: scanner.sink.truncated };
  } finally {
    fs.closeSync(fd);
  }
}
