import * as assert from 'node:assert/strict';
import { loadPack } from '../../src/core/rules/loader';
import { FindingSink, Matcher, scanText, StreamScanner } from '../../src/core/scan/scanner';
import { builtinEngine, prng } from './helpers';

const MW = "Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.";

function streamScan(m: Matcher, text: string, chunk: (i: number) => number) {
  const s = new StreamScanner(m);
  let pos = 0;
  for (let i = 0; pos < text.length; i++) {
    const n = Math.max(1, chunk(i));
    s.push(text.slice(pos, pos + n));
    pos += n;
  }
  s.end();
  return { findings: s.sink.findings, lines: s.lines };
}

describe('scanner', () => {
  const engine = builtinEngine();

  it('gives the exact matched span, 0-based, and the side', () => {
    const text = `2024-01-01 info starting\n2024-01-01 error ${MW}\n`;
    const [f] = engine.scan(text).filter((x) => x.ruleId.startsWith('migrationwiz.'));
    assert.equal(f.line, 1);
    const line = text.split('\n')[1];
    assert.match(line.slice(f.column, f.endColumn), /401/);
    assert.ok(f.column >= line.indexOf('Your migration') && f.endColumn <= line.length);
    assert.equal(f.side, 'destination');
  });

  it('never flags counts, versions and ids containing 401', () => {
    const text = ['Batch 7 completed: 401 items migrated', 'Exchange build 15.20.6401.98', 'Processed 401 messages in 4010 ms', 'id 4014-401a-b401'].join('\n');
    assert.deepEqual(engine.scan(text).map((f) => f.ruleId), []);
  });

  it('folds identical repeats into one finding with a count and every occurrence', () => {
    const lines = [];
    for (let i = 0; i < 50; i++) lines.push(`2024-01-01 10:00:${String(i).padStart(2, '0')} ${MW}`, 'noise line');
    const fs = engine.scan(lines.join('\n'));
    assert.equal(fs.length, 1);
    assert.equal(fs[0].count, 50);
    assert.equal(fs[0].occurrences.length, 50);
    assert.equal(fs[0].occurrences[49], 98);
  });

  it('keeps line numbers and columns exact with CRLF, mixed endings and chunk edges', () => {
    const body: string[] = [];
    for (let i = 0; i < 300; i++) body.push(i % 37 === 5 ? `x${i} ${MW}` : `line ${i} ok 401 items`);
    for (const eol of ['\n', '\r\n']) {
      const text = body.join(eol) + eol;
      const whole = scanText(engine.matcher, text);
      for (const sizes of [() => 1, () => 7, (i: number) => (i * 131) % 1000 + 1, () => 100000]) {
        const streamed = streamScan(engine.matcher, text, sizes);
        assert.equal(streamed.lines, 300);
        assert.deepEqual(
          streamed.findings.map((f) => [f.rule.id, f.line, f.column, f.endColumn, f.count]),
          whole.findings.map((f) => [f.rule.id, f.line, f.column, f.endColumn, f.count]),
        );
      }
      assert.equal(whole.findings[0].line, 5);
      assert.equal(whole.findings[0].column, body[5].indexOf(whole.findings[0].match));
      assert.ok(whole.findings[0].column >= 3);
    }
    const mixed = `a\r\nb\n${MW}\r\nc`;
    const f = scanText(engine.matcher, mixed).findings[0];
    assert.equal(f.line, 2);
    assert.equal(f.column, MW.indexOf(f.match));
    assert.equal(f.endColumn, f.column + f.match.length);
  });

  it('reports only the highest-priority rules on a line', () => {
    const res = loadPack({
      file: 'p.yaml',
      text: '- {id: generic, title: G, severity: error, priority: -10, keywords: ["401"], patterns: ["401 unauthorized"], causes: [{id: wrong-credentials}]}\n- {id: specific, title: S, severity: error, keywords: ["401"], patterns: ["autodiscover.*401"], causes: [{id: modern-auth-not-configured}]}\n',
    });
    const m = new Matcher(res.rules);
    assert.deepEqual(scanText(m, 'autodiscover failed - 401 Unauthorized').findings.map((f) => f.rule.id), ['specific']);
    assert.deepEqual(scanText(m, 'GET x failed - 401 Unauthorized').findings.map((f) => f.rule.id), ['generic']);
  });

  it('finds a signature at the end of a 10 MB line without scanning forever', () => {
    const text = 'x'.repeat(10 * 1024 * 1024) + ' ' + MW + '\nnext line\n';
    const t0 = Date.now();
    const res = scanText(engine.matcher, text);
    assert.ok(res.findings.some((f) => f.rule.id.startsWith('migrationwiz.')));
    assert.equal(res.lines, 2);
    const streamed = streamScan(engine.matcher, text, () => 1 << 20);
    assert.ok(streamed.findings.some((f) => f.rule.id.startsWith('migrationwiz.')));
    assert.equal(streamed.lines, 2);
    assert.ok(Date.now() - t0 < 20000);
  });

  it('takes the side from context lines when the rule says so', () => {
    const res = loadPack({ file: 'p.yaml', text: '- {id: ctx, title: C, severity: error, keywords: ["denied"], patterns: ["login denied"], side: {from: "(?<side>host1|host2) "}, context: {before: 3}, causes: [{id: wrong-credentials}]}\n' });
    const m = new Matcher(res.rules);
    assert.equal(scanText(m, 'Host2 connecting\nfoo\nlogin denied').findings[0].side, 'destination');
    assert.equal(scanText(m, 'Host1 connecting\nfoo\nlogin denied').findings[0].side, 'source');
    assert.equal(scanText(m, 'Host1 connecting\n1\n2\n3\n4\nlogin denied').findings[0].side, 'unknown');
  });

  it('handles empty text and text without newline', () => {
    assert.equal(scanText(engine.matcher, '').lines, 0);
    assert.equal(scanText(engine.matcher, 'abc').lines, 1);
    assert.equal(streamScan(engine.matcher, 'abc', () => 1).lines, 1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// the byte-level prefilter and the byte stream (issue 5)

import * as fsx from 'node:fs';
import * as osx from 'node:os';
import * as pathx from 'node:path';
import type { RawFinding as RF, ScanOptions as SO } from '../../src/core/scan/scanner';
import { scanFileSync } from '../../src/node/scanfile';


function proj(f: RF) {
  return [f.rule.id, f.line, f.column, f.endColumn, f.side, f.count, f.occurrences.join(','), f.signals.join(''), f.match, JSON.stringify(f.captures)].join('|');
}

/** findings of matching every line on its own (no prefilter): the reference */
function lineByLine(m: Matcher, text: string, opts: SO = {}) {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (text.endsWith('\n')) lines.pop();
  const max = opts.maxLineLength ?? 64 * 1024;
  const sink = new FindingSink(opts.maxFindings);
  lines.forEach((l, i) => {
    const before = (n: number) => {
      for (let k = 1; k <= n; k++) if (i - k < 0 || lines[i - k].length > max) return undefined;
      return lines[i - n];
    };
    for (const f of m.matchLine(l, i, before, opts)) sink.add(f);
  });
  return sink.findings;
}

function streamBytes(m: Matcher, bytes: Uint8Array, sizes: (i: number) => number, opts: SO = {}) {
  const s = new StreamScanner(m, opts, (n) => Buffer.allocUnsafe(n));
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const n = Math.max(1, sizes(i));
    s.pushBytes(bytes.subarray(pos, pos + n));
    pos += n;
  }
  s.end();
  return { findings: s.sink.findings, lines: s.lines };
}

/** every rule's example lines, cut and re-cased, mixed with noise: lines that nearly match */
function fuzzLines(seed: number, n: number, examples: string[]): string[] {
  const r = prng(seed);
  const noise = ['INFO  Batch 7 completed: 401 items', '2024-01-01 00:40:01 DEBUG GetItem 4010 returned 200 OK', 'x', '', 'Ünïcödé 🙂 ok', '\t', 'status code 4012', '(401)'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let l = r.next() < 0.6 ? r.pick(noise) : r.pick(examples);
    if (r.next() < 0.3) l = l.slice(r.int(l.length + 1));
    if (r.next() < 0.3) l = l.slice(0, r.int(l.length + 1));
    if (r.next() < 0.3) l = [...l].map((c) => (r.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
    if (r.next() < 0.1) l = r.pick(noise) + ' ' + l;
    out.push(l);
  }
  return out;
}

describe('prefilter and byte stream', () => {
  const engine = builtinEngine();
  const m = engine.matcher;
  const examples = engine.rules.flatMap((r) => [...(r.examples?.match ?? []), ...(r.examples?.noMatch ?? [])]).map((e) => (typeof e === 'string' ? e : e.text).split('\n').pop()!);
  // enough text for the tuned byte prefilter (inputs of 256 KB and more)
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `2024-01-01 10:${String(i % 60).padStart(2, '0')}:00 INFO  Migrated folder "Inbox/${i}" for ann@contoso.com: ${i % 900} items`);

  it('never drops a line a rule would match (large inputs, random near-matches)', () => {
    for (const seed of [1, 2, 3]) {
      const lines = fuzzLines(seed, 3000, examples);
      const text = [...filler(3000), ...lines, ...filler(100)].join(seed === 2 ? '\r\n' : '\n');
      assert.ok(Buffer.byteLength(text) > 256 * 1024);
      const whole = scanText(m, text);
      assert.ok(whole.findings.length > 20);
      assert.deepEqual(whole.findings.map(proj), lineByLine(m, text).map(proj), `seed ${seed}`);
    }
  });

  it('streams UTF-8 bytes in any chunking with exact lines and UTF-16 columns', () => {
    const lines = fuzzLines(7, 400, examples);
    lines.splice(5, 0, '€€€ 🙂🙂 ' + MW, 'ä'.repeat(50) + ' AADSTS50126: bad', '\u{1F600}'.repeat(3) + ' (401) Unauthorized');
    for (const eol of ['\n', '\r\n']) {
      const text = lines.join(eol) + eol;
      const want = scanText(m, text);
      assert.ok(want.findings.some((f) => f.line === 5 && f.column > 8));
      const bytes = Buffer.from(text, 'utf8');
      for (const sizes of [() => 1, () => 3, (i: number) => (i * 7919) % 4096 + 1, () => 1 << 20]) {
        const got = streamBytes(m, bytes, sizes);
        assert.equal(got.lines, want.lines);
        assert.deepEqual(got.findings.map(proj), want.findings.map(proj));
      }
    }
  });

  it('large byte streams (tuned filter) equal the whole-text scan', () => {
    const text = [...filler(2000), ...fuzzLines(11, 2000, examples), ...filler(2000), ...fuzzLines(12, 500, examples)].join('\n');
    const want = scanText(m, text);
    const got = streamBytes(m, Buffer.from(text), (i) => (i % 2 ? 65536 : 300 * 1024));
    assert.equal(got.lines, want.lines);
    assert.deepEqual(got.findings.map(proj), want.findings.map(proj));
    const strings = new StreamScanner(m);
    for (let p = 0; p < text.length; p += 100000) strings.push(text.slice(p, p + 100000));
    strings.end();
    assert.deepEqual(strings.sink.findings.map(proj), want.findings.map(proj));
  });

  it('keeps invalid UTF-8 exactly as the decoder does (replacement characters count as columns)', () => {
    const parts = [Buffer.from('bad \xff\xfe\xc3 bytes '), Buffer.from([0xe2, 0x82]), Buffer.from(' then AADSTS50126: x\n'), Buffer.from([0xf0, 0x9f]), Buffer.from('\n(401) Unauthorized \xc3\n', 'latin1')];
    const bytes = Buffer.concat(parts);
    const text = new TextDecoder().decode(bytes);
    const want = scanText(m, text);
    assert.ok(want.findings.length >= 2);
    for (const sizes of [() => 1, () => 2, () => 5, () => 1000]) assert.deepEqual(streamBytes(m, bytes, sizes).findings.map(proj), want.findings.map(proj));
  });

  it('scans files in any encoding: UTF-8 (BOM or not), UTF-16 LE / BE, CRLF', () => {
    const dir = fsx.mkdtempSync(pathx.join(osx.tmpdir(), 'md-scan-'));
    try {
      const text = ['first', `€ ${MW}`, 'x AADSTS50126: nope', '🙂 (401) Unauthorized.'].join('\r\n') + '\r\n';
      const want = scanText(m, text).findings.map(proj);
      const files: [string, Buffer][] = [
        ['utf8.log', Buffer.from(text)],
        ['bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
        ['le.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
        ['be.log', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
      ];
      for (const [name, data] of files) {
        fsx.writeFileSync(pathx.join(dir, name), data);
        const res = scanFileSync(pathx.join(dir, name), m);
        assert.equal(res.lines, 4, name);
        assert.deepEqual(res.findings.map(proj), want, name);
      }
    } finally {
      fsx.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('digit-only keywords match only where no digit touches them', () => {
    const res = loadPack({ file: 'p.yaml', text: '- {id: num, title: N, severity: error, keywords: ["401"], patterns: ["unauthorized"], causes: [{id: wrong-credentials}]}\n- {id: word, title: W, severity: error, keywords: ["http 401"], patterns: ["denied"], causes: [{id: wrong-credentials}]}\n' });
    const nm = new Matcher(res.rules);
    const ids = (t: string) => scanText(nm, t).findings.map((f) => f.rule.id);
    assert.deepEqual(ids('1401 unauthorized'), []);
    assert.deepEqual(ids('4012 unauthorized'), []);
    assert.deepEqual(ids('HTTP 401 unauthorized'), ['num']);
    assert.deepEqual(ids('(401)unauthorized'), ['num']);
    assert.deepEqual(ids('401'), []);
    assert.deepEqual(ids('error401: Unauthorized'), ['num']);
    // only digit-only keywords have the boundary: "http 401" is in "http 4010", "401" is not
    assert.deepEqual(ids('http 4010 denied unauthorized'), ['word']);
    assert.deepEqual(ids('http 401 denied unauthorized'), ['num', 'word']);
    const big = [...filler(4000), '1401 unauthorized', 'status 401 unauthorized', ...filler(10)].join('\n');
    assert.deepEqual(scanText(nm, big).findings.map((f) => f.line), [4001]);
  });

  it('long lines: the stream keeps only their windows and finds what the whole-text scan finds', () => {
    const opts = { maxLineLength: 64 };
    const r = prng(3);
    for (let round = 0; round < 20; round++) {
      const lines: string[] = [];
      for (let i = 0; i < 12; i++) {
        const kind = r.int(5);
        if (kind === 0) lines.push('y'.repeat(r.int(400)) + ' 401 Unauthorized ' + 'z'.repeat(r.int(400)));
        else if (kind === 1) lines.push('AADSTS50126 ' + 'é'.repeat(r.int(300)) + (r.next() < 0.5 ? '\r' : ''));
        else if (kind === 2) lines.push('Host1 connecting');
        else lines.push(r.pick(examples).slice(0, 60));
      }
      const text = lines.join('\n') + (r.next() < 0.5 ? '\n' : '');
      const want = scanText(m, text, opts);
      assert.deepEqual(want.findings.map(proj), lineByLine(m, text, opts).map(proj));
      const bytes = Buffer.from(text);
      for (const size of [1, 7, 100, 5000]) {
        assert.deepEqual(streamBytes(m, bytes, () => size, opts).findings.map(proj), want.findings.map(proj), `bytes, chunk ${size}, round ${round}`);
        const s = new StreamScanner(m, opts);
        for (let p = 0; p < text.length; p += size) s.push(text.slice(p, p + size));
        s.end();
        assert.deepEqual(s.sink.findings.map(proj), want.findings.map(proj), `text, chunk ${size}, round ${round}`);
        assert.equal(s.lines, want.lines);
      }
    }
  });
});
