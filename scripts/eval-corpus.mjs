#!/usr/bin/env node
// Evaluates the built CLI against the corpus of real log lines in test/corpus/.
//
//   node scripts/eval-corpus.mjs [--cli dist/cli.js] [--corpus test/corpus] [--verbose] [--json] [--keep]
//
// Every corpus line is written to its own file (<tmp>/p<N>.log for positives.tsv, <tmp>/n<N>.log for
// negatives.tsv, N = the line number in the TSV), the CLI scans the folder once
// (`node <cli> scan --format json <tmp>`, DESIGN §5) and the findings are mapped back to the lines.
// A finding counts as an AUTH finding unless its top cause is one of NON_AUTH_CAUSES (the rule's tags
// are not in the JSON). Printed: recall, false-positive rate, cause@1, cause@3, side accuracy, with
// breakdowns; --verbose also lists the misses, false positives, wrong causes and wrong sides.
// Exit code: 0 whatever the metrics; 2 when the CLI could not run or its output could not be read
// (a CLI that prints its JSON report but exits 2, e.g. because a rule pack fails to load, is evaluated
// with a warning on stderr).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NON_AUTH_CAUSES = new Set(['upload-failed', 'tls-failure', 'unsupported-folder-name', 'throttled', 'service-transient']);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { cli: 'dist/cli.js', corpus: 'test/corpus', verbose: false, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cli') opts.cli = value();
    else if (a.startsWith('--cli=')) opts.cli = a.slice(6);
    else if (a === '--corpus') opts.corpus = value();
    else if (a.startsWith('--corpus=')) opts.corpus = a.slice(9);
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/eval-corpus.mjs [--cli PATH] [--corpus DIR] [--verbose] [--json] [--keep]');
      process.exit(0);
    } else fail(`unknown argument: ${a}`);
  }
  return opts;
}

function fail(message) {
  console.error(`eval-corpus: ${message}`);
  process.exit(2);
}

/** Reads a TSV with a header row; returns [{ tsvLine, ...columns }]. */
function readTsv(file) {
  if (!fs.existsSync(file)) fail(`missing corpus file ${file}`);
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines[0].split('\t');
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const cells = lines[i].split('\t');
    const row = { tsvLine: i + 1 };
    header.forEach((h, j) => { row[h] = (cells[j] ?? '').trim(); });
    row.line = cells[0] ?? ''; // the log line itself is kept verbatim (leading spaces matter)
    rows.push(row);
  }
  return rows;
}

function topCauses(finding) {
  return [...(finding.causes ?? [])]
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
    .map((c) => c.id);
}

function isAuth(finding) {
  const top = topCauses(finding)[0];
  return !(top && NON_AUTH_CAUSES.has(top));
}

function pct(n, d) {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

function clip(s, n = 110) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const opts = parseArgs(process.argv.slice(2));
const cliPath = path.resolve(repoRoot, opts.cli);
const corpusDir = path.resolve(repoRoot, opts.corpus);
if (!fs.existsSync(cliPath)) fail(`CLI not found at ${cliPath} (run \`npm run build\` first)`);

const positives = readTsv(path.join(corpusDir, 'positives.tsv'));
const negatives = readTsv(path.join(corpusDir, 'negatives.tsv'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'md-eval-'));
for (const r of positives) fs.writeFileSync(path.join(tmp, `p${r.tsvLine}.log`), `${r.line}\n`);
for (const r of negatives) fs.writeFileSync(path.join(tmp, `n${r.tsvLine}.log`), `${r.line}\n`);

const started = Date.now();
const run = spawnSync(process.execPath, [cliPath, 'scan', '--format', 'json', tmp], {
  encoding: 'utf8',
  maxBuffer: 512 * 1024 * 1024,
});
const elapsed = Date.now() - started;
if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
if (run.error) fail(`could not run the CLI: ${run.error.message}`);
const abnormal = run.status !== 0 && run.status !== 1;
let report;
try {
  report = JSON.parse(run.stdout);
} catch (e) {
  if (abnormal) fail(`CLI exited with ${run.status}${run.signal ? ` (${run.signal})` : ''}: ${clip((run.stderr || '').trim(), 2000)}`);
  fail(`CLI output is not JSON (${e.message}): ${clip(run.stdout.trim(), 300)}`);
}
if (!report || !Array.isArray(report.findings)) fail('CLI JSON has no findings[] array');
if (abnormal) {
  // The CLI ran and printed a report but also reported errors (e.g. a rule pack that does not load):
  // evaluate what it found, and say so.
  const errs = (run.stderr || '').trim().split(/\r?\n/).filter(Boolean);
  console.error(`eval-corpus: warning: CLI exited with ${run.status}; evaluating its JSON anyway. stderr (${errs.length} lines):`);
  for (const e of errs.slice(0, 10)) console.error(`  ${clip(e, 200)}`);
  if (errs.length > 10) console.error(`  … ${errs.length - 10} more`);
}

// file -> findings
const byFile = new Map();
let unmapped = 0;
for (const f of report.findings) {
  const m = /^([pn])(\d+)\.log$/.exec(path.basename(String(f.file ?? '')));
  if (!m) { unmapped++; continue; }
  const key = `${m[1]}${m[2]}`;
  if (!byFile.has(key)) byFile.set(key, []);
  byFile.get(key).push(f);
}

const misses = [];
const wrongCause = [];
const wrongSide = [];
const falsePositives = [];
let detected = 0;
let causeTotal = 0, cause1 = 0, cause3 = 0, causeDetected = 0;
let sideTotal = 0, sideOk = 0, sideDetected = 0;
const bySystem = new Map();
const byCause = new Map();

for (const r of positives) {
  const auth = (byFile.get(`p${r.tsvLine}`) ?? []).filter(isAuth);
  const hit = auth.length > 0;
  if (hit) detected++;
  else misses.push(r);
  const sys = (r.system || '(none)').split(' (')[0]; // group "Entra (azure-cli)" under "Entra"
  const s = bySystem.get(sys) ?? { n: 0, hit: 0 };
  s.n++; if (hit) s.hit++;
  bySystem.set(sys, s);

  if (r.cause) {
    causeTotal++;
    if (hit) causeDetected++;
    const firsts = auth.map((f) => topCauses(f)[0]);
    const top3 = auth.flatMap((f) => topCauses(f).slice(0, 3));
    const ok1 = firsts.includes(r.cause);
    const ok3 = top3.includes(r.cause);
    if (ok1) cause1++;
    if (ok3) cause3++;
    const c = byCause.get(r.cause) ?? { n: 0, at1: 0, at3: 0 };
    c.n++; if (ok1) c.at1++; if (ok3) c.at3++;
    byCause.set(r.cause, c);
    if (hit && !ok1) wrongCause.push({ r, got: auth.map((f) => `${f.ruleId}: ${topCauses(f).slice(0, 3).join(' > ') || '(no causes)'}`) });
  }
  if (r.side === 'source' || r.side === 'destination') {
    sideTotal++;
    if (hit) sideDetected++;
    if (auth.some((f) => f.side === r.side)) sideOk++;
    else if (hit) wrongSide.push({ r, got: [...new Set(auth.map((f) => f.side ?? '(none)'))].join(', ') });
  }
}

const byKind = new Map();
for (const r of negatives) {
  const auth = (byFile.get(`n${r.tsvLine}`) ?? []).filter(isAuth);
  const k = byKind.get(r.kind || '(none)') ?? { n: 0, fp: 0 };
  k.n++;
  if (auth.length > 0) { k.fp++; falsePositives.push({ r, got: auth.map((f) => `${f.ruleId}: ${topCauses(f)[0] ?? '(no causes)'}`) }); }
  byKind.set(r.kind || '(none)', k);
}

const metrics = {
  cli: path.relative(repoRoot, cliPath) || cliPath,
  positives: positives.length,
  negatives: negatives.length,
  findings: report.findings.length,
  unmappedFindings: unmapped,
  elapsedMs: elapsed,
  recall: { hit: detected, total: positives.length },
  falsePositiveRate: { fp: falsePositives.length, total: negatives.length },
  causeAt1: { ok: cause1, total: causeTotal, detected: causeDetected },
  causeAt3: { ok: cause3, total: causeTotal },
  sideAccuracy: { ok: sideOk, total: sideTotal, detected: sideDetected },
};

if (opts.json) {
  console.log(JSON.stringify({
    ...metrics,
    misses: misses.map((r) => r.tsvLine),
    falsePositives: falsePositives.map((x) => x.r.tsvLine),
    wrongCauses: wrongCause.map((x) => x.r.tsvLine),
    wrongSides: wrongSide.map((x) => x.r.tsvLine),
  }, null, 2));
  process.exit(0);
}

const line = (label, value) => console.log(`${label.padEnd(22)}${value}`);
console.log(`Migration Doctor corpus evaluation (${metrics.cli}, ${positives.length} positives, ${negatives.length} negatives, ${report.findings.length} findings, ${elapsed} ms)`);
line('recall', `${pct(detected, positives.length)}  (${detected}/${positives.length} positives with an auth finding)`);
line('false-positive rate', `${pct(falsePositives.length, negatives.length)}  (${falsePositives.length}/${negatives.length} negatives with an auth finding)`);
line('cause@1', `${pct(cause1, causeTotal)}  (${cause1}/${causeTotal}; ${pct(cause1, causeDetected)} of the ${causeDetected} detected)`);
line('cause@3', `${pct(cause3, causeTotal)}  (${cause3}/${causeTotal}; ${pct(cause3, causeDetected)} of the ${causeDetected} detected)`);
line('side accuracy', `${pct(sideOk, sideTotal)}  (${sideOk}/${sideTotal}; ${pct(sideOk, sideDetected)} of the ${sideDetected} detected)`);
if (unmapped) line('unmapped findings', String(unmapped));

console.log('\nrecall by system:');
for (const [sys, s] of [...bySystem].sort((a, b) => b[1].n - a[1].n)) {
  console.log(`  ${sys.padEnd(44)}${String(s.hit).padStart(4)}/${String(s.n).padEnd(4)} ${pct(s.hit, s.n)}`);
}
console.log('\nfalse positives by kind:');
for (const [kind, k] of [...byKind].sort((a, b) => b[1].n - a[1].n)) {
  console.log(`  ${kind.padEnd(16)}${String(k.fp).padStart(4)}/${String(k.n).padEnd(4)} ${pct(k.fp, k.n)}`);
}
console.log('\ncause@1 / cause@3 by expected cause:');
for (const [cause, c] of [...byCause].sort((a, b) => b[1].n - a[1].n)) {
  console.log(`  ${cause.padEnd(30)}${String(c.at1).padStart(4)} /${String(c.at3).padStart(4)} of ${c.n}`);
}

if (opts.verbose) {
  console.log(`\nMISSES (${misses.length}) — positives.tsv line: [system] text`);
  for (const r of misses) console.log(`  ${r.tsvLine}: [${r.system}] ${clip(r.line)}`);
  console.log(`\nFALSE POSITIVES (${falsePositives.length}) — negatives.tsv line: [kind] text => rule: top cause`);
  for (const { r, got } of falsePositives) console.log(`  ${r.tsvLine}: [${r.kind}] ${clip(r.line)}\n      => ${got.join(' | ')}`);
  console.log(`\nWRONG CAUSES (${wrongCause.length}) — positives.tsv line: expected => rule: causes 1-3`);
  for (const { r, got } of wrongCause) console.log(`  ${r.tsvLine}: expected ${r.cause}: ${clip(r.line, 90)}\n      => ${got.join(' | ')}`);
  console.log(`\nWRONG SIDES (${wrongSide.length}) — positives.tsv line: expected => got`);
  for (const { r, got } of wrongSide) console.log(`  ${r.tsvLine}: expected ${r.side}, got ${got}: ${clip(r.line, 90)}`);
}
process.exit(0);
