// Writes a shareable copy of a log or config with every secret masked. Streams any size; never touches the original.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskSecrets } from '../core/secrets';
import { sniffBytes } from './files';

export function redactedName(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.redacted${ext}`);
}

export interface RedactResult {
  out: string;
  lines: number;
  masked: number;
}

export function redactFileSync(file: string, out = redactedName(file)): RedactResult {
  if (path.resolve(out) === path.resolve(file)) throw new Error('the redacted copy must not overwrite the original');
  const fd = fs.openSync(file, 'r');
  const tmp = `${out}.tmp-${process.pid}`;
  const wfd = fs.openSync(tmp, 'w');
  let lines = 0;
  let masked = 0;
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = fs.readSync(fd, buf, 0, buf.length, null);
    const sniff = sniffBytes(buf.subarray(0, Math.min(n, 8192)));
    if (sniff.binary) throw new Error('binary file: not redacted');
    const decoder = new TextDecoder(sniff.encoding);
    let carry = '';
    let first = true;
    const flush = (text: string, final: boolean) => {
      const all = carry + text;
      const cut = final ? all.length : all.lastIndexOf('\n') + 1;
      const part = all.slice(0, cut);
      carry = all.slice(cut);
      if (!part) return;
      const outLines = part.split('\n').map((l) => {
        const m = maskSecrets(l);
        if (m !== l) masked++;
        return m;
      });
      lines += outLines.length - (part.endsWith('\n') ? 1 : 0);
      fs.writeSync(wfd, outLines.join('\n'));
    };
    while (n > 0) {
      flush(decoder.decode(first ? buf.subarray(sniff.bom, n) : buf.subarray(0, n), { stream: true }), false);
      first = false;
      n = fs.readSync(fd, buf, 0, buf.length, null);
    }
    flush(decoder.decode(), true);
  } catch (e) {
    fs.closeSync(wfd);
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    fs.closeSync(fd);
  }
  fs.closeSync(wfd);
  fs.renameSync(tmp, out);
  return { out, lines, masked };
}
