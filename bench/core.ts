// Core measurements for bench/run.mjs (bundled by it with esbuild): where the scan time goes on a large log, lines
// per second, and the incremental re-diagnosis of one-line edits. Prints one JSON object.
//   node bench/data/core-bench.js <big.log> <200k-line.log>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setPrecompiledRules, PrecompiledRules } from '../src/core/rules/precompiled';
import { readBuiltinPacks } from '../src/node/files';
import { Engine } from '../src/core/engine';
import { scanFileSync, CHUNK } from '../src/node/scanfile';
import { scanText, RawFinding } from '../src/core/scan/scanner';
import { IncrementalScan } from '../src/core/scan/incremental';
import { createHash } from 'node:crypto';

const [big, small] = process.argv.slice(2);
const rulesJson = path.join(__dirname, '..', '..', 'dist', 'rules.json');
if (fs.existsSync(rulesJson)) setPrecompiledRules(() => JSON.parse(fs.readFileSync(rulesJson, 'utf8')) as PrecompiledRules, (s) => createHash('sha1').update(s).digest('base64'));

const { packs, vocabulary } = readBuiltinPacks();
const engine = new Engine(packs, vocabulary);
const m = engine.matcher;

const now = () => performance.now();
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
function timeIt(runs: number, f: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    f();
    out.push(now() - t0);
  }
  return out;
}

function chunks(file: string, f: (b: Buffer, n: number) => void) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let n: number;
  while ((n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0) f(buf, n);
  fs.closeSync(fd);
}

const out: Record<string, unknown> = {};
const size = fs.statSync(big).size;
out.file = { bytes: size };

// the prefilter of a 1 MB sample (as scanFileSync builds it)
const sample = Buffer.allocUnsafe(CHUNK);
const sfd = fs.openSync(big, 'r');
const sn = fs.readSync(sfd, sample, 0, CHUNK, 0);
fs.closeSync(sfd);
let filter = m.filter(sample.subarray(0, sn));
const tTune = median(timeIt(3, () => (filter = m.filter(sample.subarray(0, sn)))));

let lines = 0;
const tRead = timeIt(3, () => chunks(big, () => undefined));
const tNewlines = timeIt(3, () => {
  lines = 0;
  chunks(big, (b, n) => {
    for (let i = b.indexOf(10); i !== -1 && i < n; i = b.indexOf(10, i + 1)) lines++;
  });
});
let candidates = 0;
const tFilter = timeIt(3, () => {
  candidates = 0;
  chunks(big, (b, n) => {
    const v = b.subarray(0, n);
    const end = v.lastIndexOf(10) + 1;
    filter.scan(v, 0, end, (p) => {
      candidates++;
      const e = v.indexOf(10, p);
      return e === -1 ? end : e + 1;
    });
  });
});
let findings = 0;
const stats = { candidateLines: 0 };
const tScan = timeIt(3, () => {
  stats.candidateLines = 0;
  findings = scanFileSync(big, m, { stats }).findings.length;
});
out.scanFile = {
  lines,
  findings,
  candidateLines: stats.candidateLines,
  ms: { read: median(tRead), readAndCountNewlines: median(tNewlines), readAndPrefilter: median(tFilter), fullScan: median(tScan), tunePrefilter: tTune },
  linesPerSecond: Math.round(lines / (median(tScan) / 1000)),
  mbPerSecond: +(size / 1048576 / (median(tScan) / 1000)).toFixed(1),
};

// the in-editor path: a string
const text = fs.readFileSync(big).subarray(0, 20 * 1048576).toString('utf8');
const textLines = text.split('\n').length - 1;
const tText = timeIt(3, () => scanText(m, text));
out.scanText = { mb: 20, lines: textLines, ms: median(tText), linesPerSecond: Math.round(textLines / (median(tText) / 1000)) };

// incremental: one-line edits in a 200,000-line log
const docLines = fs.readFileSync(small, 'utf8').split('\n');
if (docLines[docLines.length - 1] === '') docLines.pop();
const inc = new IncrementalScan(m);
const tFull = timeIt(3, () => inc.full(docLines));
const tRescan = timeIt(3, () => scanText(m, docLines.join('\n')));
const authLine = docLines.find((l) => /AADSTS/.test(l)) ?? 'AADSTS50126: x';
let seed = 7;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const tEdit: number[] = [];
for (let i = 0; i < 201; i++) {
  const at = Math.floor(rnd() * docLines.length);
  docLines[at] = i % 2 ? authLine : docLines[at] + ' edited';
  const t0 = now();
  inc.applyEdit(at, at + 1, 1, (k) => docLines[k]);
  tEdit.push(now() - t0);
}
const proj = (f: RawFinding) => `${f.rule.id}|${f.line}|${f.column}|${f.count}|${f.occurrences.join(',')}|${f.side}|${f.signals.join('')}`;
const equal = JSON.stringify(inc.findings.map(proj)) === JSON.stringify(scanText(m, docLines.join('\n')).findings.map(proj));
out.incremental = {
  lines: docLines.length,
  fullIncrementalMs: median(tFull),
  fullScanTextMs: median(tRescan),
  oneLineEditMs: median(tEdit),
  oneLineEditP90Ms: [...tEdit].sort((a, b) => a - b)[Math.floor(tEdit.length * 0.9)],
  fractionOfFullScan: median(tEdit) / median(tRescan),
  equalToFullScan: equal,
};
process.stdout.write(JSON.stringify(out) + '\n');
