import * as assert from 'node:assert/strict';
import { loadPack } from '../../src/core/rules/loader';
import { Matcher, scanText, StreamScanner } from '../../src/core/scan/scanner';
import { builtinEngine } from './helpers';

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
