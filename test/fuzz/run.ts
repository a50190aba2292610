// `npm run fuzz`: every fuzz target for --runs cases (default 1,000,000), one child process per target, at most
// --workers at a time (default: the number of CPUs, at most 4). Prints cases, wall and CPU time and failures per
// target and exits 1 on a failure, printing the shrunk counterexample and how to replay it.
//
//   node out/test/fuzz/run.js [--runs N] [--seed S] [--target loader,config,scanner,fixes] [--workers W] [--path P]
//
// --seed S and --path P (both printed with a failure) replay a counterexample.
import * as os from 'node:os';
import { fork } from 'node:child_process';
import * as fc from 'fast-check';
import { corpus, targets } from './targets';

interface Job {
  target: string;
  runs: number;
  seed: number;
  path?: string;
}

/** a case slower than this is listed (a hang is a bug too), without failing the run */
const SLOW_MS = 5000;

interface Result {
  target: string;
  cases: number;
  /** cases over SLOW_MS (at most 3 kept) */
  slow?: { ms: number; concrete: string }[];
  ms: number;
  /** CPU time of the process (user + system) */
  cpuMs?: number;
  failed: boolean;
  shrinks?: number;
  counterexample?: string;
  concrete?: string;
  error?: string;
  path?: string | null;
}

function runJob(job: Job, progress?: (n: number) => void): Result {
  const t = targets.find((x) => x.name === job.target);
  if (!t) throw new Error(`unknown target ${job.target}`);
  let n = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let lastProgress = t0;
  const slow: { ms: number; concrete: string }[] = [];
  const prop = fc.property(t.arbitrary(), (input) => {
    n++;
    if (progress && (n & 0x3fff) === 0 && performance.now() - lastProgress > 60_000) {
      lastProgress = performance.now();
      progress(n);
    }
    const c0 = performance.now();
    try {
      t.check(input);
    } finally {
      const ms = performance.now() - c0;
      if (ms > SLOW_MS && slow.length < 3) slow.push({ ms, concrete: t.describe(input) });
    }
  });
  // stack traces are the cost of every YAML error the library creates; a failure is re-run with them below
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let d: fc.RunDetails<[unknown]>;
  try {
    d = fc.check(prop, { numRuns: job.runs, seed: job.seed, path: job.path, endOnFailure: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (!d.failed) return { target: job.target, cases: d.numRuns, ms, cpuMs, failed: false, slow };
  const ce = d.counterexample?.[0];
  let error = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance);
  try {
    if (ce !== undefined) t.check(ce); // again, with stack traces
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  let concrete: string | undefined;
  try {
    concrete = ce === undefined ? undefined : t.describe(ce);
  } catch (e) {
    concrete = `(cannot describe: ${(e as Error).message})`;
  }
  return {
    target: job.target,
    cases: d.numRuns,
    ms,
    cpuMs,
    slow,
    failed: true,
    shrinks: d.numShrinks,
    counterexample: d.counterexample ? fc.stringify(d.counterexample[0]) : undefined,
    concrete,
    error,
    path: d.counterexamplePath,
  };
}

function parseArgs(argv: string[]) {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eqArg = argv.find((a) => a.startsWith(`--${name}=`));
    return eqArg?.slice(name.length + 3);
  };
  const runs = Number(get('runs') ?? 1_000_000);
  const seed = get('seed') !== undefined ? Number(get('seed')) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const names = (get('target') ?? targets.map((t) => t.name).join(',')).split(',').filter(Boolean);
  const workers = Math.max(1, Number(get('workers') ?? Math.min(4, os.cpus().length)));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer`);
  for (const n of names) if (!targets.some((t) => t.name === n)) throw new Error(`unknown target '${n}' (have: ${targets.map((t) => t.name).join(', ')})`);
  return { runs, seed, names, workers, path: get('path') };
}

const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const { runs, seed, names, workers, path } = args;
  console.log(`fuzz: ${names.join(', ')} - ${runs.toLocaleString('en-US')} cases each, seed ${seed}, ${Math.min(workers, names.length)} worker(s); corpus: ${corpus().fingerprint}`);
  const t0 = performance.now();
  const queue = [...names];
  const results: Result[] = [];
  const runOne = (target: string) =>
    new Promise<Result>((resolve, reject) => {
      const job: Job = { target, runs, seed, path };
      const w = fork(__filename, ['--child', JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let result: Result | undefined;
      w.on('message', (m: { progress?: number; result?: Result }) => {
        if (m.progress !== undefined) console.log(`  ${target}: ${m.progress.toLocaleString('en-US')} cases, ${fmtMs(performance.now() - t0)}`);
        if (m.result) result = m.result;
      });
      w.on('error', reject);
      w.on('exit', (code, signal) => (result ? resolve(result) : reject(new Error(`the process for ${target} exited with ${signal ?? `code ${code}`}`))));
    });
  const lanes = Array.from({ length: Math.min(workers, names.length) }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      let r: Result;
      try {
        r = await runOne(t);
      } catch (e) {
        r = { target: t, cases: 0, ms: 0, failed: true, error: `the worker crashed: ${(e as Error).message}` };
      }
      results.push(r);
      const per = r.cases && r.cpuMs !== undefined ? ` (${((r.cpuMs * 1000) / r.cases).toFixed(0)} µs/case)` : '';
      console.log(`${r.failed ? 'FAIL' : 'ok  '} ${r.target.padEnd(8)} cases ${r.cases.toLocaleString('en-US').padStart(10)}  time ${fmtMs(r.ms).padStart(9)}  cpu ${fmtMs(r.cpuMs ?? 0).padStart(9)}${per}  failures ${r.failed ? 1 : 0}`);
    }
  });
  await Promise.all(lanes);
  console.log(`total ${fmtMs(performance.now() - t0)}`);
  for (const r of results) {
    for (const x of r.slow ?? []) console.log(`\n=== ${r.target}: slow case (${fmtMs(x.ms)}; not a failure)\n${x.concrete.slice(0, 4000)}`);
  }
  const failed = results.filter((r) => r.failed);
  for (const r of failed) {
    console.log(`\n=== ${r.target}: failed after ${r.cases} case(s)${r.shrinks !== undefined ? `, shrunk ${r.shrinks} time(s)` : ''}`);
    console.log(r.error);
    if (r.concrete) console.log(`--- input\n${r.concrete}`);
    if (r.counterexample) console.log(`--- counterexample (fast-check)\n${r.counterexample.slice(0, 20000)}`);
    if (r.path) console.log(`--- replay: node out/test/fuzz/run.js --target ${r.target} --seed ${seed} --path ${r.path}`);
  }
  process.exit(failed.length ? 1 : 0);
}

if (process.argv[2] === '--child') {
  const job = JSON.parse(process.argv[3]) as Job;
  const result = runJob(job, (n) => process.send!({ progress: n }));
  process.send!({ result }, () => process.exit(0));
} else {
  void main();
}
