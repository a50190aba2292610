// `npm run bench` (after `npm run build`): generates synthetic logs under bench/data/ (git-ignored) and prints
//  1. the CLI scan wall time vs ripgrep on the same 100 MB file (and 1 GB), several runs, medians and their ratio;
//  2. the CLI's peak RSS on 1 GB;
//  3. core figures: where the scan time goes, lines/s, the in-editor (string) path;
//  4. the incremental re-diagnosis of a one-line edit in a 200,000-line log, as a fraction of a full scan;
//  5. bundle sizes.
// Options: --runs N (default 5), --no-1g (skip the 1 GB file), --json (also print the raw figures as JSON).
// Benchmarks print figures; nothing here asserts timings.
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { generate } from './gen.mjs';
import { rgPatterns } from './rgpatterns.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.join(root, 'bench', 'data');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) > 0 && args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
const WITH_1G = !args.includes('--no-1g');
const GEN_VERSION = 'gen-v2';
fs.mkdirSync(data, { recursive: true });

const log = (s = '') => process.stdout.write(s + '\n');
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

// ------------------------------------------------------------------------------------------------ data
function ensureLog(name, sizeMb, lines = Infinity) {
  const file = path.join(data, name);
  const stamp = `${file}.${GEN_VERSION}`;
  if (!fs.existsSync(file) || !fs.existsSync(stamp)) {
    const t0 = Date.now();
    process.stdout.write(`generating ${path.relative(root, file)} ... `);
    const r = generate(file, sizeMb, 2000, lines);
    fs.writeFileSync(stamp, `${r.lines} ${r.bytes}\n`);
    log(`${r.lines} lines, ${mb(r.bytes)} in ${fmt(Date.now() - t0)}`);
  }
  return file;
}

// ------------------------------------------------------------------------------------------------ ripgrep
function findRg() {
  for (const c of ['/usr/bin/rg', 'rg']) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {
      /* next */
    }
  }
  log('ripgrep not found: installing the Debian package (apt-get install ripgrep) ...');
  try {
    execFileSync('apt-get', ['install', '-y', 'ripgrep'], { stdio: 'inherit' });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', 'ripgrep'], { stdio: 'inherit' });
  }
  return '/usr/bin/rg';
}

/** the built-in rules' patterns (from dist/rules.json, written by the build) as ripgrep patterns */
function writeRgPatterns() {
  const pre = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'rules.json'), 'utf8'));
  const rules = pre.packs.flatMap((p) => p.result.rules);
  const pats = rgPatterns(rules);
  const file = path.join(data, 'rg-patterns.txt');
  fs.writeFileSync(file, pats.join('\n') + '\n');
  return { file, rules: rules.length, patterns: pats.length, lookaround: rules.flatMap((r) => r.patterns).filter((p) => /\(\?<?[=!]/.test(p)).length };
}

// ------------------------------------------------------------------------------------------------ timing
const rssHook = path.join(data, 'rss-hook.cjs');
fs.writeFileSync(rssHook, "process.on('exit', () => { require('fs').writeFileSync(process.env.MD_RSS_OUT, String(process.resourceUsage().maxRSS)); });\n");

function run(cmd, argv, outFile, env = {}) {
  const fd = fs.openSync(outFile, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(fd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function compare(file, rg, pats, runs) {
  const cli = [];
  const rgt = [];
  let rss = 0;
  const rssOut = path.join(data, 'rss.txt');
  for (let i = 0; i < runs; i++) {
    // interleaved, so that both see the same machine load
    cli.push(run(process.execPath, ['-r', rssHook, path.join(root, 'dist', 'cli.js'), 'scan', '--format', 'json', file], path.join(data, 'out-cli.json'), { MD_RSS_OUT: rssOut }));
    rss = Math.max(rss, Number(fs.readFileSync(rssOut, 'utf8')));
    rgt.push(run(rg, ['-j1', '--no-config', '-n', '-f', pats, file], path.join(data, 'out-rg.txt')));
  }
  const cliOut = JSON.parse(fs.readFileSync(path.join(data, 'out-cli.json'), 'utf8'));
  const rgLines = fs.readFileSync(path.join(data, 'out-rg.txt'), 'utf8').split('\n').filter(Boolean).length;
  return { cli, rg: rgt, ratio: median(cli) / median(rgt), pairRatios: cli.map((c, i) => c / rgt[i]), rssKb: rss, findings: cliOut.findings.length, occurrences: cliOut.findings.reduce((s, f) => s + (f.count ?? 1), 0), lines: cliOut.summary.lines, rgLines };
}

// ------------------------------------------------------------------------------------------------ main
const results = {};
log(`Migration Doctor benchmark — node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('run `npm run build` first');
const f100 = ensureLog('100mb.log', 100);
const f1g = WITH_1G ? ensureLog('1gb.log', 1024) : undefined;
const f200k = ensureLog('200k-lines.log', Infinity, 200000);
const rg = findRg();
const rgVersion = execFileSync(rg, ['--version']).toString().split('\n')[0];
const pats = writeRgPatterns();

log('');
log('== 1. CLI scan vs ripgrep (wall time, same file, runs interleaved) ==');
log(`ripgrep: ${rgVersion}, \`rg -j1 --no-config -n -f ${path.relative(root, pats.file)} FILE\` (matching lines to a file)`);
log(`CLI:     \`node dist/cli.js scan --format json FILE\` (findings as JSON to a file; startup, rule loading included)`);
log(`"Equivalent" patterns: the ${pats.patterns} regexes of the ${pats.rules} built-in rules, converted from JavaScript to ripgrep's default`);
log('  (Rust) engine: look-around removed (it only narrows matches; ' + pats.lookaround + ' patterns use it), named groups made plain, \\d \\w \\b kept');
log('  ASCII as in JavaScript, case-insensitive per rule. So ripgrep reports every line a rule pattern matches, and a few more');
log('  (no keyword prefilter, no exclude regexes, no look-around); it does not rank causes, fold repeats or write JSON.');
for (const [label, file, runs] of [['100 MB', f100, RUNS], ...(f1g ? [['1 GB', f1g, Math.max(1, Math.min(RUNS, 3))]] : [])]) {
  const r = compare(file, rg, pats.file, runs);
  results[label] = r;
  log('');
  log(`${label} (${mb(fs.statSync(file).size)}, ${r.lines} lines): CLI ${r.findings} finding(s) / ${r.occurrences} occurrences; ripgrep ${r.rgLines} matching lines`);
  log(`  CLI      runs: ${r.cli.map(fmt).join(', ')}  median ${fmt(median(r.cli))}`);
  log(`  ripgrep  runs: ${r.rg.map(fmt).join(', ')}  median ${fmt(median(r.rg))}`);
  log(`  ratio CLI / ripgrep (medians): ${r.ratio.toFixed(2)}x   (per run: ${r.pairRatios.map((x) => x.toFixed(2)).join(', ')})`);
  log(`  CLI peak RSS: ${(r.rssKb / 1024).toFixed(0)} MB`);
}

log('');
log('== 2. Core (in process, warm) ==');
const coreJs = path.join(data, 'core-bench.js');
await esbuild.build({ entryPoints: [path.join(root, 'bench', 'core.ts')], bundle: true, platform: 'node', target: 'node20', outfile: coreJs, logLevel: 'warning', external: ['esbuild'] });
const core = JSON.parse(execFileSync(process.execPath, [coreJs, f100, f200k], { maxBuffer: 1 << 26 }).toString());
results.core = core;
const s = core.scanFile;
log(`scanFileSync on 100 MB: ${fmt(s.ms.fullScan)} = ${(s.linesPerSecond / 1e6).toFixed(2)} M lines/s, ${s.mbPerSecond} MB/s (${s.candidateLines} candidate lines of ${s.lines})`);
log(`  where the time goes (medians, each step includes the ones above it):`);
log(`    read 1 MB chunks                 ${fmt(s.ms.read)}`);
log(`    + count newlines (Buffer.indexOf) ${fmt(s.ms.readAndCountNewlines)}`);
log(`    read + byte prefilter (no decode)  ${fmt(s.ms.readAndPrefilter)}`);
log(`    full scan (prefilter, newline count, decode candidate lines, keyword regex, rule gates, rule regexes): ${fmt(s.ms.fullScan)}`);
log(`    planning the prefilter on the first 1 MB: ${fmt(s.ms.tunePrefilter)}`);
log(`scanText on a 20 MB string (the in-editor path): ${fmt(core.scanText.ms)} = ${(core.scanText.linesPerSecond / 1e6).toFixed(2)} M lines/s`);

log('');
log('== 3. Incremental re-diagnosis (200,000-line log) ==');
const inc = core.incremental;
log(`full scan (scanText): ${fmt(inc.fullScanTextMs)}; IncrementalScan.full: ${fmt(inc.fullIncrementalMs)}`);
log(`one-line edit (applyEdit): median ${inc.oneLineEditMs.toFixed(3)} ms, p90 ${inc.oneLineEditP90Ms.toFixed(3)} ms = ${(inc.fractionOfFullScan * 100).toFixed(2)}% of a full scan; result equal to a full scan: ${inc.equalToFullScan ? 'yes' : 'NO'}`);

log('');
log('== 4. Bundles ==');
const size = (f) => (fs.existsSync(path.join(root, 'dist', f)) ? fs.statSync(path.join(root, 'dist', f)).size : 0);
results.bundles = { extension: size('extension.js'), cli: size('cli.js'), yaml: size('yaml.js'), rules: size('rules.json') };
log(`dist/extension.js ${(results.bundles.extension / 1024).toFixed(1)} KB (minified; loads dist/yaml.js ${(results.bundles.yaml / 1024).toFixed(1)} KB only for workspace packs / YAML configs)`);
log(`dist/cli.js ${(results.bundles.cli / 1024).toFixed(1)} KB; dist/rules.json ${(results.bundles.rules / 1024).toFixed(1)} KB (built-in packs, precompiled)`);

log('');
log('== Goals ==');
const r100 = results['100 MB'];
const r1g = results['1 GB'];
log(`CLI / ripgrep on 100 MB: ${r100.ratio.toFixed(2)}x (goal <= 1.0x)`);
if (r1g) log(`CLI peak RSS on 1 GB: ${(r1g.rssKb / 1024).toFixed(0)} MB (goal <= 120 MB)`);
log(`one-line edit / full scan (200k lines): ${(inc.fractionOfFullScan * 100).toFixed(2)}% (goal <= 1%)`);
log(`extension bundle: ${(results.bundles.extension / 1024).toFixed(1)} KB (goal <= 150 KB)`);
if (args.includes('--json')) log(JSON.stringify(results));
