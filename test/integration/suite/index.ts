// Entry point of the integration suite inside the VS Code extension host (extensionTestsPath points at this
// folder; VS Code calls run()). Loads mocha (TDD ui: suite/test) and every *.test.js next to this file.
//
// Read from the environment (set by test/integration/run.mjs or run-electron.mjs; inherited by the extension host):
//   MD_TEST_GREP     only tests whose full title contains this text (or matches /regex/flags)
//   MD_TEST_RESULTS  a file to write {"passed","failed","pending","total"} to
//   MD_TEST_COLOR    "1" for coloured reporter output
//   MD_TEST_TIMEOUT_MS  per-test timeout (default 20000)
// It also prints one machine-readable line, `MD_TEST_RESULT {"passed":N,...}`, that the runners parse.
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = typeof import('mocha');

function loadMocha(): MochaCtor {
  // mocha 12 is an ES module package (its entry re-exports lib/mocha.cjs): load the CommonJS entry directly;
  // either way it needs a Node with require(esm) (>= 20.19), which the extension host's Node has
  try {
    return require('mocha/lib/mocha.cjs') as MochaCtor;
  } catch {
    const m = require('mocha') as MochaCtor & { default?: MochaCtor };
    return m.default ?? m;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function grepPattern(text: string | undefined): RegExp | undefined {
  if (!text) return undefined;
  const re = /^\/(.+)\/([a-z]*)$/.exec(text);
  return re ? new RegExp(re[1], re[2]) : new RegExp(escapeRegExp(text));
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: process.env.MD_TEST_COLOR === '1',
    timeout: Number(process.env.MD_TEST_TIMEOUT_MS || 20000),
  });
  if (process.env.MD_TEST_COLOR !== '1') {
    // mocha 12 colours its check marks (log-symbols) even with color: false, e.g. when CI=true
    const symbols = (Mocha as unknown as { reporters: { Base: { symbols: Record<string, string> } } }).reporters.Base.symbols;
    symbols.ok = '✔';
    symbols.err = '✖';
  }
  const grep = grepPattern(process.env.MD_TEST_GREP);
  if (grep) mocha.grep(grep);

  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    const report = (passed: number, failed: number, pending: number): void => {
      const counts = { passed, failed, pending, total: passed + failed + pending, files: files.length, grep: process.env.MD_TEST_GREP || '' };
      console.log(`MD_TEST_RESULT ${JSON.stringify(counts)}`);
      if (process.env.MD_TEST_RESULTS) {
        try {
          fs.writeFileSync(process.env.MD_TEST_RESULTS, `${JSON.stringify(counts)}\n`);
        } catch (e) {
          console.error(`could not write ${process.env.MD_TEST_RESULTS}: ${e}`);
        }
      }
    };
    try {
      if (!files.length) throw new Error(`no *.test.js files in ${__dirname}`);
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        report(stats.passes, stats.failures, stats.pending);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      // a test file that throws while loading: count it as a failure so the run can't look green
      console.error(e);
      report(0, 1, 0);
      reject(e);
    }
  });
}
