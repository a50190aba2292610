#!/usr/bin/env node
// Runs the integration suite inside a REAL VS Code extension host, offline (DESIGN.md sections 6 and 7).
//
// The host is the VS Code 1.100.3 server bundled in npm `code-server@4.100.3` (provisioned lazily into the
// git-ignored cache .vscode-test/code-server-4.100.3/), its workbench is opened in Debian's headless Chromium
// driven by `playwright-core`, and the extension tests run in the real Node extension host.
//
//   npm run test:integration                       # the project's suite (+ a pass against the packaged .vsix)
//   npm run test:integration -- --tests DIR --workspace DIR [--vsix FILE] [--grep TEXT] [--timeout SEC]
//   npm run test:integration -- --help
//
// Every pass gets a fresh code-server (free 127.0.0.1 port, temp user-data/extensions/XDG/TMPDIR dirs), a fresh
// Chromium profile and a fresh COPY of the workspace (tests may edit files). The suite learns what to run through
// env vars inherited by the extension host (see test/integration/suite/index.ts): MD_TEST_GREP, MD_TEST_MODE
// (dev|vsix), MD_TEST_RESULTS (a file for its counts), MD_EXTENSION_DEV_PATH, MD_TEST_COLOR.
// The .vsix pass installs the package with `code-server --install-extension` and points extensionDevelopmentPath at an
// empty harness extension (the host runs tests only in development mode), so the installed extension is the one tested.
//
// Exit codes: 0 all passed, 1 a test failed (or the suite failed to load), 124 timeout, 2 setup error.
// The last line printed is `N passed, N failed` (totals over all passes).
// Env: MD_TEST_TIMEOUT, MD_PROVISION_TIMEOUT (s), MD_CODE_SERVER_DIR (cache), MD_CHROMIUM, MD_NO_VSIX, MD_REQUIRE_VSIX,
// MD_KEEP_TEMP, MD_VERBOSE; CI=true installs missing Debian packages and makes a failing `npm run package` an error.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const CODE_SERVER_VERSION = '4.100.3';
// What @vscode/ripgrep (as pinned by that code-server's VS Code) downloads in its postinstall; we pre-seed its cache.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_VERSION = 'v13.0.0-10';
const CHROMIUM = process.env.MD_CHROMIUM || '/usr/lib/chromium/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const RESULT_PREFIX = 'MD_TEST_RESULT ';
// The workbench's own chatter that reaches codeAutomationLog along with the extension host's output (shown with --verbose)
const WORKBENCH_NOISE = [/^Resolving connection token/, /^Resolved connection token/, /^Creating a socket/, /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/, /^Updating additional builtin extensions cache/, /^ChatSessionStore:/];
const VSIX_TAG = '[vsix]';
const RESTRICTED_TAG = '[restricted]';

// ---------------------------------------------------------------------------------------------- exit codes
const EXIT = { pass: 0, fail: 1, setup: 2, timeout: 124 };
class SetupError extends Error {}

// ---------------------------------------------------------------------------------------------- paths
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = findRoot(here);
const CACHE_DIR = path.resolve(process.env.MD_CODE_SERVER_DIR || path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`));
const MARKER = path.join(CACHE_DIR, '.md-provisioned.json');
const ENTRY = path.join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const DEFAULT_TESTS = path.join(ROOT, 'out', 'test', 'integration', 'suite');
const DEFAULT_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');
const DEFAULT_VSIX = path.join(ROOT, 'dist', 'migration-doctor.vsix');

function findRoot(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

// ---------------------------------------------------------------------------------------------- output
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (msg) => process.stdout.write(`[integration] ${msg}\n`);
const warn = (msg) => process.stderr.write(`[integration] warning: ${msg}\n`);
function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
  } catch {
    return '    (no log)';
  }
}

// ---------------------------------------------------------------------------------------------- arguments
function usage() {
  return `usage: node test/integration/run.mjs [options]
  --tests DIR        folder whose index.js exports run() (default: out/test/integration/suite)
  --workspace DIR    folder to open (default: test/fixtures/workspace)
  --vsix FILE        install FILE into the run's extensions dir and test it instead of the dev folder
  --no-vsix          default run: skip the second pass against dist/migration-doctor.vsix
  --grep TEXT        only run tests whose full title contains TEXT (/regex/flags also accepted)
  --timeout SEC      per pass: server start + tests (default 300, env MD_TEST_TIMEOUT)
  --install-deps     apt-get install missing Debian packages (implied by CI=true)
  --keep             keep the per-run temp dir (server/browser logs) for inspection
  --verbose          also print browser console messages and the server log
With no --tests, runs the project's suite in the dev extension, then (unless --no-vsix or --grep) the tests
titled "${VSIX_TAG}" against the packaged extension (dist/migration-doctor.vsix, made with \`npm run package\`
if missing or older than the build; with CI=true a packaging failure is a setup error).
Exit codes: 0 passed, 1 failed, 124 timeout, 2 setup error. Ends with a line \`N passed, N failed\`.`;
}

function parseArgs(argv) {
  const opts = { tests: null, workspace: null, vsix: null, noVsix: !!process.env.MD_NO_VSIX, grep: process.env.MD_TEST_GREP || '',
    timeout: Number(process.env.MD_TEST_TIMEOUT || 300), installDeps: process.env.CI === 'true' || process.env.CI === '1',
    keep: !!process.env.MD_KEEP_TEMP, verbose: !!process.env.MD_VERBOSE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new SetupError(`${flag} needs a value\n${usage()}`);
      return argv[++i];
    };
    switch (flag) {
      case '--tests': opts.tests = path.resolve(value()); break;
      case '--workspace': opts.workspace = path.resolve(value()); break;
      case '--vsix': opts.vsix = path.resolve(value()); break;
      case '--no-vsix': opts.noVsix = true; break;
      case '--grep': opts.grep = value(); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--install-deps': opts.installDeps = true; break;
      case '--keep': opts.keep = true; break;
      case '--verbose': opts.verbose = true; break;
      case '--provision-only': opts.provisionOnly = true; break;
      case '-h': case '--help': process.stdout.write(`${usage()}\n`); process.exit(0); break;
      default: throw new SetupError(`unknown argument ${a}\n${usage()}`);
    }
  }
  if (!(opts.timeout > 0)) throw new SetupError('--timeout must be a positive number of seconds');
  return opts;
}

// ---------------------------------------------------------------------------------------------- cleanup
const cleanups = new Set(); // async functions, run once on exit / signal
const syncCleanups = new Set(); // last-resort synchronous ones for process 'exit'
async function cleanupAll() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try { await fn(); } catch { /* best effort */ }
  }
}
process.on('exit', () => {
  for (const fn of syncCleanups) { try { fn(); } catch { /* best effort */ } }
});
let signalled = false;
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    if (signalled) process.exit(code);
    signalled = true;
    warn(`${sig}: cleaning up`);
    const hard = setTimeout(() => process.exit(code), 5000);
    hard.unref();
    cleanupAll().finally(() => process.exit(code));
  });
}

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

// ---------------------------------------------------------------------------------------------- environment
/** The caller's environment without what would confuse a nested npm or code-server. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(npm_package_|npm_lifecycle_|VSCODE_|CODE_SERVER_)/.test(k)) delete env[k];
    if (['npm_config_local_prefix', 'npm_command', 'INIT_CWD', 'ELECTRON_RUN_AS_NODE', 'PASSWORD', 'HASHED_PASSWORD'].includes(k)) delete env[k];
  }
  return env;
}

/** Debian packages: which are missing. Runtime needs chromium; provisioning needs the rest too. */
function missingPackages(needProvision) {
  const wanted = needProvision ? ['chromium', 'ripgrep', 'libkrb5-dev', 'build-essential', 'python3'] : ['chromium'];
  const haveDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  const fileChecks = { chromium: [CHROMIUM], ripgrep: ['/usr/bin/rg'], 'libkrb5-dev': ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'],
    'build-essential': ['/usr/bin/make', '/usr/bin/g++'], python3: ['/usr/bin/python3'] };
  return wanted.filter((pkg) => {
    if (pkg === 'chromium' && process.env.MD_CHROMIUM) return !fs.existsSync(CHROMIUM);
    if (haveDpkg) {
      const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
      if (r.status === 0 && /install ok installed/.test(r.stdout)) return false;
    }
    return !fileChecks[pkg].every((f) => fs.existsSync(f));
  });
}

function ensurePackages(needProvision, opts) {
  let missing = missingPackages(needProvision);
  if (!missing.length) return;
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!opts.installDeps) {
    throw new SetupError(`missing Debian packages: ${missing.join(', ')}\n` +
      `  install them with:  ${process.getuid?.() === 0 ? '' : 'sudo '}apt-get update && ${process.getuid?.() === 0 ? '' : 'sudo '}${cmd}\n` +
      '  (or rerun with --install-deps / CI=true to let this runner do it)');
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const log = path.join(path.dirname(CACHE_DIR), 'apt-get.log');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  say(`installing Debian packages: ${missing.join(' ')} (log: ${path.relative(ROOT, log)})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['apt-get', 'update', '-q'], ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing]]) {
    const full = [...sudo, ...args];
    const r = spawnSync(full[0], full.slice(1), { env, stdio: ['ignore', fs.openSync(log, 'a'), fs.openSync(log, 'a')] });
    if (r.status !== 0) throw new SetupError(`\`${full.join(' ')}\` failed (exit ${r.status ?? r.signal}); last lines of ${log}:\n${tail(log)}`);
  }
  missing = missingPackages(needProvision);
  if (missing.length) throw new SetupError(`still missing after apt-get: ${missing.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------- provisioning
function nodeDir() {
  for (const dir of [path.dirname(path.dirname(process.execPath)), '/usr', '/usr/local']) {
    if (fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) return dir;
  }
  throw new SetupError(`Node headers (include/node/node.h) not found next to ${process.execPath} nor in /usr: native modules cannot be built offline`);
}

function readMarker() {
  try {
    const m = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    if (m.version === CODE_SERVER_VERSION && m.nodeModules === process.versions.modules && fs.existsSync(ENTRY)) return m;
  } catch { /* not provisioned */ }
  return null;
}

function ripgrepTarget() {
  const arch = { x64: 'x86_64', arm64: 'aarch64', arm: 'arm', ia32: 'i686' }[process.arch];
  if (!arch) throw new SetupError(`no ripgrep target for ${process.arch}`);
  return process.arch === 'arm' ? 'arm-unknown-linux-gnueabihf' : `${arch}-unknown-linux-musl`;
}

async function provision(opts) {
  if (readMarker()) return;
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new SetupError(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}`);
  ensurePackages(true, opts);
  const nodedir = nodeDir();
  const started = Date.now();
  const log = `${CACHE_DIR}.install.log`;
  say(`provisioning code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CACHE_DIR) || CACHE_DIR} ` +
    `(first run only; native modules compile, a few minutes; log: ${path.relative(ROOT, log)})`);
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), `${JSON.stringify({ name: 'md-code-server-cache', private: true }, null, 2)}\n`);
  fs.writeFileSync(log, '');

  // a private TMPDIR holding the ripgrep download cache, seeded from Debian's rg
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'md-cs-install-'));
  cleanups.add(async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const rgCache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(rgCache, { recursive: true });
  fs.mkdirSync(stage);
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const target = ripgrepTarget();
  const rgVersion = target.startsWith('arm-') ? 'v13.0.0-4' : RIPGREP_VERSION; // as @vscode/ripgrep's postinstall picks it
  const tarball = path.join(rgCache, `ripgrep-${rgVersion}-${target}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', tarball, '-C', stage, 'rg'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new SetupError(`could not pack rg for the ripgrep cache: ${tar.stderr}`);

  const env = { ...cleanEnv(), TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_nodedir: nodedir, npm_config_yes: 'true',
    npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const fd = fs.openSync(log, 'a');
  const child = spawn('npm', ['install', '--prefix', CACHE_DIR, '--no-save', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: CACHE_DIR, env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  const killIt = async () => killGroup(child.pid, 'SIGKILL');
  cleanups.add(killIt);
  const limit = Number(process.env.MD_PROVISION_TIMEOUT || 900) * 1000;
  const heartbeat = setInterval(() => say(`  still installing code-server (${secs(Date.now() - started)})`), 60_000);
  const timer = setTimeout(() => { warn('provisioning timed out'); killGroup(child.pid, 'SIGKILL'); }, limit);
  const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? s)));
  clearInterval(heartbeat);
  clearTimeout(timer);
  cleanups.delete(killIt);
  if (code !== 0) {
    throw new SetupError(`\`npm install code-server@${CODE_SERVER_VERSION}\` failed (${code}); last lines of ${log}:\n${tail(log)}`);
  }
  // postinstall.sh may only warn when a native module fails: check what the server needs
  const vscodeDir = path.join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
  const needed = [ENTRY, path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node')];
  const absent = needed.filter((f) => !fs.existsSync(f));
  if (absent.length) {
    throw new SetupError(`code-server installed incompletely (missing ${absent.map((f) => path.relative(CACHE_DIR, f)).join(', ')}); ` +
      `last lines of ${log}:\n${tail(log)}`);
  }
  fs.writeFileSync(MARKER, `${JSON.stringify({ version: CODE_SERVER_VERSION, node: process.versions.node,
    nodeModules: process.versions.modules, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
  say(`code-server ${CODE_SERVER_VERSION} provisioned in ${secs(Date.now() - started)}`);
}

// ---------------------------------------------------------------------------------------------- vsix
function newestMtime(files) {
  return Math.max(0, ...files.filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs));
}

/** The default run's .vsix: reuse a fresh one, else `npm run package`. Returns null (with a warning) when it can't be made. */
function defaultVsix() {
  const inputs = [path.join(ROOT, 'package.json'), path.join(ROOT, 'dist', 'extension.js')];
  if (fs.existsSync(DEFAULT_VSIX) && fs.statSync(DEFAULT_VSIX).mtimeMs >= newestMtime(inputs)) return DEFAULT_VSIX;
  const log = path.join(path.dirname(CACHE_DIR), 'package.log');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  say(`packaging the extension for the ${VSIX_TAG} pass: npm run package (log: ${path.relative(ROOT, log)})`);
  const fd = fs.openSync(log, 'w');
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (r.status !== 0 || !fs.existsSync(DEFAULT_VSIX)) {
    const why = fs.readFileSync(log, 'utf8').split('\n').filter((l) => /ERROR|error/.test(l)).slice(0, 5).join('\n    ');
    const msg = `\`npm run package\` failed, so the ${VSIX_TAG} pass against the packaged extension was NOT run:\n    ${why || tail(log, 15)}`;
    // in CI a broken package must not silently drop the [vsix] pass
    if (process.env.MD_REQUIRE_VSIX || process.env.CI === 'true' || process.env.CI === '1') throw new SetupError(msg);
    warn(msg);
    return null;
  }
  return DEFAULT_VSIX;
}

// ---------------------------------------------------------------------------------------------- one pass
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One run of a suite in a fresh code-server + Chromium.
 * @returns {{ code: number, passed: number|null, failed: number|null, pending: number|null }}
 */
async function runPass(pass, opts) {
  const started = Date.now();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-it-'));
  const dirs = Object.fromEntries(['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp', 'chromium-profile']
    .map((d) => [d, path.join(runDir, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const serverLog = path.join(runDir, 'server.log');
  const resultsFile = path.join(runDir, 'results.json');
  const removeRunDir = async () => {
    if (opts.keep) say(`kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  };
  cleanups.add(removeRunDir);
  const syncRemove = () => { if (!opts.keep) fs.rmSync(runDir, { recursive: true, force: true }); };
  syncCleanups.add(syncRemove);

  // tests may edit, create and delete files: every pass opens a fresh copy of the workspace
  const workspace = path.join(runDir, 'ws', path.basename(pass.workspace));
  fs.cpSync(pass.workspace, workspace, { recursive: true });

  const port = await freePort();
  const baseEnv = { ...cleanEnv(), EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'], TMPDIR: dirs.tmp };
  // inherited by the extension host: how the suite's index.js learns what to run and where to report
  const testEnv = { MD_TEST_GREP: pass.grep || '', MD_TEST_MODE: pass.vsix ? 'vsix' : pass.restricted ? 'restricted' : 'dev', MD_TEST_RESULTS: resultsFile,
    MD_TEST_COLOR: process.stdout.isTTY && !process.env.NO_COLOR ? '1' : '', MD_EXTENSION_DEV_PATH: pass.vsix ? '' : ROOT };
  const env = { ...baseEnv, ...testEnv };
  const common = ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];

  const deadline = started + opts.timeout * 1000;
  let result = { code: EXIT.setup, passed: null, failed: null, pending: null };
  let server = null;
  let context = null;
  try {
    if (pass.vsix) {
      const r = spawnSync(process.execPath, [ENTRY, ...common, '--install-extension', pass.vsix],
        { env: baseEnv, encoding: 'utf8', timeout: 120_000 });
      fs.writeFileSync(path.join(runDir, 'install-extension.log'), `${r.stdout}\n${r.stderr}`);
      if (r.status !== 0 || !/successfully installed/i.test(`${r.stdout}${r.stderr}`)) {
        throw new SetupError(`code-server --install-extension ${pass.vsix} failed (exit ${r.status ?? r.signal}):\n${`${r.stdout}\n${r.stderr}`.trim()}`);
      }
      say(`installed ${path.relative(ROOT, pass.vsix)} into the run's extensions dir`);
    }

    if (pass.restricted) {
      // Restricted Mode: workspace trust on, no prompt, the opened folder stays untrusted
      fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
      fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
        'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never', 'security.workspace.trust.untrustedFiles': 'open' }, null, 2));
    }
    fs.writeFileSync(path.join(runDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const logFd = fs.openSync(serverLog, 'a');
    server = spawn(process.execPath, [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--config', path.join(runDir, 'config.yaml'),
      ...common, '--disable-telemetry', '--disable-update-check', ...(pass.restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
      '--ignore-last-opened', '--locale', 'en'], { env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const serverPid = server.pid;
    let serverExit = null;
    server.on('exit', (c, s) => { serverExit = c ?? s; });
    const killServer = async () => {
      killGroup(serverPid, 'SIGTERM');
      for (let i = 0; i < 20 && serverExit === null; i++) await sleep(100);
      killGroup(serverPid, 'SIGKILL');
    };
    cleanups.add(killServer);
    syncCleanups.add(() => killGroup(serverPid, 'SIGKILL'));

    const timedOut = () => Date.now() > deadline;
    while (!(await healthy(port))) {
      if (serverExit !== null) throw new SetupError(`code-server exited (${serverExit}) before it was ready; last lines of its log:\n${tail(serverLog)}`);
      if (timedOut()) { result.code = EXIT.timeout; throw new Error('timeout waiting for code-server /healthz'); }
      await sleep(200);
    }
    const ready = Date.now();

    let chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch (e) {
      throw new SetupError(`cannot load playwright-core (run npm ci): ${e.message}`);
    }
    context = await chromium.launchPersistentContext(dirs['chromium-profile'], {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      env: { ...baseEnv, HOME: runDir }, timeout: 60_000,
    });
    const ctx = context;
    cleanups.add(async () => { await Promise.race([ctx.close().catch(() => {}), sleep(5000)]); });

    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    let counts = null;
    await context.exposeFunction('codeAutomationLog', (type, args) => {
      const list = Array.isArray(args) ? args : [args];
      const text = list.length && typeof list[0] === 'string' ? util.format(...list) : list.map((a) => util.inspect(a)).join(' ');
      for (const line of text.split('\n')) {
        if (line.startsWith(RESULT_PREFIX)) {
          try { counts = JSON.parse(line.slice(RESULT_PREFIX.length)); } catch { /* ignore */ }
        }
      }
      if (!opts.verbose && WORKBENCH_NOISE.some((re) => re.test(text))) return;
      (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await context.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('crash', () => resolveExit(-1));
    if (opts.verbose) {
      page.on('console', (m) => process.stderr.write(`[browser ${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => process.stderr.write(`[browser pageerror] ${e.message}\n`));
    }

    const uri = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
    // The extension host only runs extension tests when there is an extensionDevelopmentPath. For the .vsix pass it
    // points at an empty harness extension, so that the extension under test is the installed one (Production mode).
    let devPath = ROOT;
    if (pass.vsix) {
      devPath = path.join(runDir, 'harness');
      fs.mkdirSync(devPath, { recursive: true });
      fs.writeFileSync(path.join(devPath, 'package.json'), `${JSON.stringify({ name: 'test-harness', publisher: 'md-integration-tests',
        version: '0.0.0', description: 'Empty development extension: lets the installed .vsix be tested', engines: { vscode: '*' } }, null, 2)}\n`);
    }
    const payload = [['extensionDevelopmentPath', uri(devPath)]];
    payload.push(['extensionTestsPath', uri(pass.tests)], ['skipWelcome', 'true']);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(uri(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) });

    const remaining = deadline - Date.now();
    let timer;
    let poll;
    const code = await Promise.race([
      exited,
      new Promise((r) => { timer = setTimeout(() => r('timeout'), Math.max(0, remaining)); }),
      new Promise((r) => { poll = setInterval(() => { if (serverExit !== null) r('server-exit'); }, 250); }),
    ]);
    clearTimeout(timer);
    clearInterval(poll);
    if (code === 'timeout') {
      result.code = EXIT.timeout;
      throw new Error(`timed out after ${opts.timeout} s (no result from the extension host); last lines of the server log:\n${tail(serverLog, 25)}`);
    }
    if (code === 'server-exit') throw new SetupError(`code-server exited (${serverExit}) during the run; last lines of its log:\n${tail(serverLog)}`);
    if (code === -1) throw new SetupError('the browser page crashed');

    try { counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* fall back to the logged line */ }
    result = { code: code === 0 ? EXIT.pass : EXIT.fail, passed: counts?.passed ?? null, failed: counts?.failed ?? null, pending: counts?.pending ?? null };
    say(`${pass.name} pass: exit ${code} in ${secs(Date.now() - started)} (server ready in ${secs(ready - started)})`);
    if (opts.verbose) process.stderr.write(`--- server log ---\n${tail(serverLog, 200)}\n`);
  } catch (e) {
    if (signalled) {
      // interrupted: the signal handler reports and exits
    } else if (e instanceof SetupError) {
      result.code = EXIT.setup;
      process.stderr.write(`[integration] setup error (${pass.name} pass): ${e.message}\n`);
    } else if (result.code === EXIT.timeout || Date.now() >= deadline) {
      result.code = EXIT.timeout;
      process.stderr.write(`[integration] ${pass.name} pass: ${e.message}\n`);
    } else {
      result.code = EXIT.setup;
      process.stderr.write(`[integration] setup error (${pass.name} pass): ${e.stack || e}\n` +
        (fs.existsSync(serverLog) ? `last lines of the server log:\n${tail(serverLog, 25)}\n` : ''));
    }
  } finally {
    await cleanupAll();
    syncCleanups.clear();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensurePackages(false, opts);
  await provision(opts);
  if (opts.provisionOnly) return EXIT.pass;

  const passes = [];
  const tests = opts.tests ?? DEFAULT_TESTS;
  const workspace = opts.workspace ?? DEFAULT_WORKSPACE;
  if (!opts.workspace && !fs.existsSync(workspace)) {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'README.md'), '# Integration test workspace\n\nOpened by the integration tests (test/integration/run.mjs). Put fixtures here.\n');
  }
  if (!fs.existsSync(path.join(tests, 'index.js'))) {
    throw new SetupError(`${path.join(tests, 'index.js')} not found: ${opts.tests ? '--tests must be a folder whose index.js exports run()' : 'run `npm run build` first'}`);
  }
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) throw new SetupError(`workspace ${workspace} is not a folder`);
  if (opts.vsix) {
    if (!fs.existsSync(opts.vsix)) throw new SetupError(`${opts.vsix} not found`);
    passes.push({ name: 'vsix', tests, workspace, vsix: opts.vsix, grep: opts.grep });
  } else {
    if (!fs.existsSync(path.join(ROOT, 'package.json'))) throw new SetupError(`no package.json in ${ROOT}`);
    passes.push({ name: 'dev', tests, workspace, vsix: null, grep: opts.grep });
    // the project's suite also runs its "[restricted]" tests in an untrusted workspace (Restricted Mode)
    if (!opts.tests && (!opts.grep || opts.grep.includes(RESTRICTED_TAG))) passes.push({ name: 'restricted', tests, workspace, vsix: null, grep: RESTRICTED_TAG, restricted: true });
    if (!opts.tests && !opts.noVsix && opts.grep) {
      say(`--grep given: skipping the ${VSIX_TAG} pass against the packaged extension`);
    } else if (!opts.tests && !opts.noVsix) {
      const vsix = defaultVsix();
      if (vsix) passes.push({ name: 'vsix', tests, workspace, vsix, grep: VSIX_TAG });
    }
  }

  let passed = 0;
  let failed = 0;
  let pending = 0;
  const codes = [];
  for (const pass of passes) {
    const what = pass.vsix ? `installed ${path.relative(ROOT, pass.vsix)}` : `extension in ${ROOT}`;
    say(`${pass.name} pass: ${path.relative(ROOT, pass.tests) || pass.tests} against ${what}` +
      `${pass.grep ? `, tests matching "${pass.grep}"` : ''}, workspace ${path.relative(ROOT, pass.workspace) || pass.workspace}`);
    const r = await runPass(pass, opts);
    if (signalled) return EXIT.setup;
    codes.push(r.code);
    if (r.code === EXIT.setup) break;
    if (r.passed === null) {
      // the suite did not report (load error, timeout): count the pass as one failure so the totals can't read green
      if (r.code !== EXIT.pass) failed += 1;
      if (r.code !== EXIT.timeout) warn(`${pass.name} pass: the suite reported no counts (does its index.js print the ${RESULT_PREFIX.trim()} line?)`);
    } else {
      passed += r.passed;
      failed += r.failed;
      pending += r.pending ?? 0;
      if (r.passed + r.failed === 0) warn(`${pass.name} pass ran no test${pass.grep ? ` (nothing matched "${pass.grep}")` : ''}`);
    }
  }
  const code = codes.includes(EXIT.setup) ? EXIT.setup : codes.includes(EXIT.timeout) ? EXIT.timeout : codes.some((c) => c !== EXIT.pass) ? EXIT.fail : EXIT.pass;
  if (code !== EXIT.setup) {
    say(`done in ${secs(Date.now() - t0)}`);
    process.stdout.write(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}\n`);
  }
  return code;
}

main().then(
  async (code) => {
    if (signalled) return; // the signal handler exits with 128+signal
    await cleanupAll();
    process.exit(code);
  },
  async (e) => {
    if (signalled) return;
    await cleanupAll();
    process.stderr.write(`[integration] setup error: ${e instanceof SetupError ? e.message : e.stack || e}\n`);
    process.exit(EXIT.setup);
  },
);
