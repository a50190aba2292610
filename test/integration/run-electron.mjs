#!/usr/bin/env node
// Runs the same integration suite in DESKTOP VS Code through @vscode/test-electron (downloads VS Code into
// .vscode-test/ on first use). Needs the internet and, on Linux, a display (xvfb-run is used when there is none).
// Where VS Code can't be downloaded use the offline runner instead: `npm run test:integration` (run.mjs).
//
//   npm run test:electron -- [--tests DIR] [--workspace DIR] [--grep TEXT] [--vscode-version stable|1.100.3] [--timeout SEC]
//
// Exit codes: 0 passed, 1 failed, 124 timeout, 2 setup error (no download, no display, ...).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let ROOT = here;
while (!fs.existsSync(path.join(ROOT, 'package.json'))) {
  if (path.dirname(ROOT) === ROOT) { console.error('[electron] setup error: no package.json above this script'); process.exit(2); }
  ROOT = path.dirname(ROOT);
}

function setupError(msg) {
  process.stderr.write(`[electron] setup error: ${msg}\n`);
  process.exit(2);
}

const opts = { tests: path.join(ROOT, 'out', 'test', 'integration', 'suite'), workspace: path.join(ROOT, 'test', 'fixtures', 'workspace'),
  grep: process.env.MD_TEST_GREP || '', version: process.env.VSCODE_TEST_VERSION || 'stable', timeout: Number(process.env.MD_TEST_TIMEOUT || 600) };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const next = () => (i + 1 < argv.length ? argv[++i] : setupError(`${argv[i]} needs a value`));
  switch (argv[i]) {
    case '--tests': opts.tests = path.resolve(next()); break;
    case '--workspace': opts.workspace = path.resolve(next()); break;
    case '--grep': opts.grep = next(); break;
    case '--vscode-version': opts.version = next(); break;
    case '--timeout': opts.timeout = Number(next()); break;
    case '-h': case '--help':
      console.log('usage: node test/integration/run-electron.mjs [--tests DIR] [--workspace DIR] [--grep TEXT] [--vscode-version V] [--timeout SEC]');
      process.exit(0);
      break;
    default: setupError(`unknown argument ${argv[i]}`);
  }
}
if (!fs.existsSync(path.join(opts.tests, 'index.js'))) setupError(`${path.join(opts.tests, 'index.js')} not found (run \`npm run build\`)`);
if (!fs.existsSync(opts.workspace)) {
  fs.mkdirSync(opts.workspace, { recursive: true });
  fs.writeFileSync(path.join(opts.workspace, 'README.md'), '# Integration test workspace\n\nOpened by the integration tests. Put fixtures here.\n');
}

// Electron needs an X display on Linux: re-run under xvfb-run when there is none
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (process.env.MD_UNDER_XVFB) setupError('still no DISPLAY under xvfb-run');
  const has = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
  if (!has) setupError('no display: install Xvfb (apt-get install -y xvfb) or set DISPLAY. Offline / headless: use `npm run test:integration`.');
  const r = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url), ...argv],
    { stdio: 'inherit', env: { ...process.env, MD_UNDER_XVFB: '1' } });
  process.exit(r.status ?? 2);
}

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch (e) {
  setupError(`cannot load @vscode/test-electron (run npm ci): ${e.message}`);
}
const { downloadAndUnzipVSCode, runTests } = testElectron.default ?? testElectron;

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version: opts.version, cachePath: path.join(ROOT, '.vscode-test'),
    extensionDevelopmentPath: ROOT, timeout: 20_000 });
} catch (e) {
  setupError(`could not download VS Code ${opts.version} (${e?.message ?? e}).\n` +
    '  This machine is probably offline. Run the same suite in the offline real host instead: npm run test:integration');
}

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-electron-'));
const resultsFile = path.join(resultsDir, 'results.json');
const cleanup = () => fs.rmSync(resultsDir, { recursive: true, force: true });
const timer = setTimeout(() => {
  process.stderr.write(`[electron] timed out after ${opts.timeout} s\n`);
  cleanup();
  process.exit(124);
}, opts.timeout * 1000);

let code;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: opts.tests,
    launchArgs: [opts.workspace, '--disable-extensions', '--locale=en'],
    extensionTestsEnv: { MD_TEST_GREP: opts.grep, MD_TEST_MODE: 'dev', MD_EXTENSION_DEV_PATH: ROOT, MD_TEST_RESULTS: resultsFile,
      MD_TEST_COLOR: process.stdout.isTTY ? '1' : '' },
  });
} catch (e) {
  code = typeof e?.code === 'number' ? e.code : 1;
  if (!fs.existsSync(resultsFile)) process.stderr.write(`[electron] test run failed: ${e?.message ?? e}\n`);
}
clearTimeout(timer);
let counts = null;
try { counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the suite did not report */ }
cleanup();
const passed = counts?.passed ?? 0;
const failed = counts?.failed ?? (code === 0 ? 0 : 1);
console.log(`${passed} passed, ${failed} failed${counts?.pending ? `, ${counts.pending} skipped` : ''}`);
process.exit(code === 0 ? 0 : 1);
