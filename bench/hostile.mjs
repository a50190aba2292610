// `npm run bench:hostile` (after `npm run build`): feeds the CLI the hostile inputs of issue #6, each made here in a
// temporary folder, and prints per case: wall time, exit code, whether stderr holds a stack trace, whether a planted
// secret appears in any output (text, JSON and SARIF), and whether the built-in 401 finding planted in the same run
// is still reported. A benchmark: it prints figures and exits 0; the unit tests (cli, budget, secrets) assert.
//
// Also times every ReDoS pattern of the pack alone against its worst line, with the pattern run directly by V8
// (backtracking engine, capped by a vm timeout) for comparison.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-hostile-'));
const SECRET = 'Zq8~hostileSecretValue.ABCDEFGH1234';
const LOG401 = '2026-11-02 10:00:00 ERROR Mailbox a@b.com: The remote server returned an error: (401) Unauthorized.';
const w = (name, data) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));

// ReDoS shapes: classic exponential ones, the two the static check used to miss, polynomial ones, a look-around
// (backtracking engine, so the interruptible exec) and a well-behaved rule that must keep reporting
const REDOS = [
  ['nested', '(a+)+$', 'a'.repeat(200000) + '!'],
  ['alternation', '(a|aa)*$', 'a'.repeat(5000) + '!'],
  ['words', '(\\w+\\s?)+$', 'word '.repeat(2000) + '!'],
  ['email', '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', 'a'.repeat(5000) + '@'],
  ['counted-lazy', '(?:.{0,300}?){20}z', 'b'.repeat(35)],
  ['counted-run', '.{0,300}?'.repeat(20) + 'z', 'b'.repeat(35)],
  ['leading-pair', '.*.*qx', 'a'.repeat(8000)],
  ['spaces', '\\s*.*=$', ' '.repeat(8000) + 'x'],
  ['look-ahead', '(?=a)a*a*b', 'a'.repeat(8000)],
  // passes the static check (not at the start, a run of two), needs the backtracking engine (look-ahead), and is
  // cubic on this line: the budget's interruptible exec stops it
  ['guarded', 'q(?=.)[aq]*[aq]*b', 'q'.repeat(8000)],
];
const pack = REDOS.map(([id, p]) => `- {id: redos.${id}, title: "${id}", severity: error, patterns: [${JSON.stringify(p)}], causes: [{id: wrong-credentials}]}\n`).join('') +
  '- {id: redos.fine, title: fine, severity: warning, keywords: [denied], patterns: ["login denied"], causes: [{id: wrong-credentials}]}\n';
const redosPack = w('redos.yaml', pack);
const redosLog = w('redos.log', REDOS.map(([, , line]) => line).join('\n') + '\nlogin denied\n' + LOG401 + '\n');

const cases = [
  ['ReDoS rule pack', ['scan', '--rules', redosPack, redosLog]],
  ['broken rule pack', ['scan', '--rules', w('broken.yaml', '- id: x\n  title: [unclosed\n  patterns: ["(a"]\n'), w('b.log', LOG401 + '\n')]],
  ['binary data', ['scan', w('bin.log', Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) & 0xff)))]],
  ['BOM + CRLF + invalid UTF-8', ['scan', w('bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\r\nbad \xff\xfe bytes\r\n'), Buffer.from([0xc3, 0x28, 0x0d, 0x0a]), Buffer.from(LOG401 + '\r\n')]))]],
  ['a 10 MB line', ['scan', w('long.log', 'x'.repeat(10 * 1048576) + ' ' + LOG401 + '\n')]],
  ['client secret', ['scan', w('secret.log', `2026-11-02 connecting with client_secret=${SECRET} Password=${SECRET}\n${LOG401} client_secret=${SECRET}\n`)]],
  ['empty file', ['scan', w('empty.log', '')]],
  ['missing path', ['scan', path.join(dir, 'no-such.log')]],
];

const log = (s = '') => process.stdout.write(s + '\n');
log(`hostile inputs in ${dir}`);
log(`${'case'.padEnd(28)} ${'time'.padStart(8)}  exit  trace  secret  401 found`);
let worst = 0;
for (const [name, args] of cases) {
  let ms = 0;
  let trace = false;
  let leak = false;
  let found = false;
  let code = 0;
  for (const fmt of ['text', 'json', 'sarif']) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args.slice(0, 1), '--format', fmt, ...args.slice(1)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const t = performance.now() - t0;
    ms = Math.max(ms, t);
    code = r.status;
    trace ||= /\n\s+at .+:\d+:\d+\)?/.test(r.stderr) || /TypeError|RangeError|ReferenceError/.test(r.stderr);
    leak ||= (r.stdout + r.stderr).includes(SECRET);
    found ||= /401/.test(r.stdout) && /generic-http|401-unauthorized|http-401/i.test(r.stdout);
  }
  worst = Math.max(worst, ms);
  log(`${name.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${String(code).padStart(4)}  ${trace ? 'YES' : 'no '}    ${leak ? 'YES' : 'no '}     ${args.includes(redosLog) || name.includes('10 MB') || name.includes('BOM') || name.includes('secret') || name.includes('broken') ? (found ? 'yes' : 'NO') : '-'}`);
}
log(`slowest case (of text/json/sarif runs): ${(worst / 1000).toFixed(2)} s`);

// each ReDoS pattern alone on its worst line: plain V8 backtracking (stopped at 10 s) vs the CLI on that pattern
log();
log(`${'ReDoS pattern'.padEnd(14)} ${'V8 backtracking'.padStart(16)}  ${'CLI (load + scan)'.padStart(18)}  outcome`);
const ctx = vm.createContext({ re: null, s: '' });
const script = new vm.Script('re.exec(s)');
for (const [id, p, line] of REDOS) {
  ctx.re = new RegExp(p, 'i');
  ctx.s = line;
  const t0 = performance.now();
  let plain;
  try {
    script.runInContext(ctx, { timeout: 10000 });
    plain = `${((performance.now() - t0) / 1000).toFixed(2)} s`;
  } catch {
    plain = '> 10 s (stopped)';
  }
  const one = w(`one-${id}.yaml`, pack.split('\n').find((l) => l.includes(`redos.${id},`)) + '\n');
  const lf = w(`one-${id}.log`, line + '\n');
  const t1 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--rules', one, lf], { encoding: 'utf8' });
  const t = performance.now() - t1;
  const outcome = /unsafe regex/.test(r.stderr) ? 'refused at load' : /switched off/.test(r.stderr) ? 'stopped by the budget' : 'ran';
  log(`${id.padEnd(14)} ${plain.padStart(16)}  ${`${(t / 1000).toFixed(2)} s`.padStart(18)}  ${outcome}`);
}
fs.rmSync(dir, { recursive: true, force: true });
