// Incremental re-diagnosis (src/core/scan/incremental.ts) equals a full scan after any sequence of edits.
import * as assert from 'node:assert/strict';
import { loadPack } from '../../src/core/rules/loader';
import { IncrementalScan, LineEdit } from '../../src/core/scan/incremental';
import { Matcher, RawFinding, ScanOptions, scanText } from '../../src/core/scan/scanner';
import { builtinEngine, prng as rng } from './helpers';


const VOCAB = [
  "2024-05-01 10:00:01 ERROR Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.",
  '2024-05-01 10:00:02 ERROR AADSTS50126: Error validating credentials due to invalid username or password.',
  '2024-05-01 10:00:03 ERROR Host2 failure: Error login on [outlook.office365.com] with user [bob@contoso.com] auth [PLAIN]: 2 NO AUTHENTICATE failed.',
  '2024-05-01 10:00:04 ERROR Fatal error during migration process: The request failed. The remote server returned an error: (401) Unauthorized.',
  'Host1 connecting to imap.source.example',
  'Host2 connecting to outlook.office365.com',
  'login denied for user',
  'INFO  Batch 12 completed: 401 items migrated in 5000 ms',
  'DEBUG EWS GetItem 1a2b returned 200 OK (401 ms) server build 15.20.401.98',
  '',
  'noise line',
  'x'.repeat(300) + ' 401 Unauthorized',
  'Ünïcödé 🙂 line with AADSTS50076 and more',
];

const CTX_PACK = [
  '- {id: ctx.side, title: C, severity: error, keywords: ["denied"], patterns: ["login denied"], side: {from: "(?<side>host1|host2) "}, context: {before: 3}, causes: [{id: wrong-credentials, when: {context: ["imap"]}}, {id: mfa-required}]}',
  '- {id: ctx.plain, title: P, severity: warning, keywords: ["401"], patterns: ["401 unauthorized"], context: {before: 2}, causes: [{id: wrong-credentials, when: {context: ["fatal"]}}]}',
].join('\n');

function project(f: RawFinding) {
  return [f.rule.id, f.line, f.column, f.endColumn, f.side, f.count, f.occurrences.join(','), f.signals.join(''), f.match, JSON.stringify(f.captures), f.foldKey];
}

function check(m: Matcher, opts: ScanOptions, seed: number, steps: number) {
  const r = rng(seed);
  let lines: string[] = [];
  for (let i = 0, n = 1 + r.int(40); i < n; i++) lines.push(r.pick(VOCAB));
  const inc = new IncrementalScan(m, opts);
  const same = (what: string) => {
    const want = scanText(m, lines.join('\n'), opts);
    assert.deepEqual(inc.findings.map(project), want.findings.map(project), `${what} (seed ${seed})`);
    assert.equal(inc.truncated, want.truncated, `${what}: truncated (seed ${seed})`);
    assert.equal(inc.lineCount, lines.length);
  };
  inc.full(r.next() < 0.5 ? lines.join('\n') : lines);
  same('full');
  for (let step = 0; step < steps; step++) {
    // a batch of 1-3 edits, each in the coordinates left by the previous one (VS Code's order)
    const edits: LineEdit[] = [];
    for (let k = 0, n = 1 + (r.next() < 0.3 ? r.int(3) : 0); k < n; k++) {
      const start = r.int(lines.length + 1);
      const oldEnd = Math.min(lines.length, start + (r.next() < 0.6 ? 1 : r.int(4)));
      const newCount = r.next() < 0.6 ? 1 : r.int(5);
      const repl: string[] = [];
      for (let i = 0; i < newCount; i++) {
        // often a small change of the line that was there
        const old = lines[start + i];
        repl.push(old !== undefined && r.next() < 0.4 ? old.slice(0, r.int(old.length + 1)) + r.pick(['', '401', ' x', 'Host1 ']) : r.pick(VOCAB));
      }
      lines = [...lines.slice(0, start), ...repl, ...lines.slice(Math.max(start, oldEnd))];
      edits.push({ startLine: start, oldEndLine: Math.max(start, oldEnd), newLineCount: newCount });
    }
    inc.applyEdits(edits, (i) => lines[i]);
    same(`after step ${step} ${JSON.stringify(edits)}`);
  }
}

describe('incremental re-diagnosis', () => {
  const engine = builtinEngine();
  const ctx = new Matcher(loadPack({ file: 'ctx.yaml', text: CTX_PACK }).rules);

  it('equals a full scan after random edits (built-in rules)', () => {
    for (let seed = 1; seed <= 40; seed++) check(engine.matcher, {}, seed, 25);
  });

  it('equals a full scan after random edits (context rules: side and when.context from lines before)', () => {
    for (let seed = 100; seed <= 160; seed++) check(ctx, {}, seed, 25);
  });

  it('keeps maxFindings, disabled rules and short maxLineLength semantics', () => {
    for (let seed = 200; seed <= 230; seed++) check(engine.matcher, { maxFindings: 2, disabled: new Set(['entra.aadsts50126']) }, seed, 15);
    for (let seed = 300; seed <= 320; seed++) check(ctx, { maxLineLength: 40 }, seed, 15);
  });

  it('re-scans only near the edit: shifted findings keep their folding', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 1000 === 999 ? VOCAB[1] : `noise ${i}`));
    const inc = new IncrementalScan(engine.matcher);
    inc.full(lines);
    assert.equal(inc.findings.length, 1);
    assert.deepEqual(inc.findings[0].occurrences, [999, 1999, 2999, 3999, 4999]);
    // insert two lines at the top: every occurrence moves by two
    lines.splice(0, 0, 'a', 'b');
    inc.applyEdit(0, 0, 2, (i) => lines[i]);
    assert.deepEqual(inc.findings[0].occurrences, [1001, 2001, 3001, 4001, 5001]);
    // edit one line into a different finding
    lines[2001] = VOCAB[3];
    inc.applyEdit(2001, 2002, 1, (i) => lines[i]);
    assert.deepEqual(inc.findings.map((f) => [f.rule.id, f.count]), scanText(engine.matcher, lines.join('\n')).findings.map((f) => [f.rule.id, f.count]));
  });
});
