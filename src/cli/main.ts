// `migration-doctor` — scan / fix / rules / explain. Exit codes: 0 clean, 1 error findings, 2 usage or input errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../core/engine';
import type { Finding } from '../core/analyze';
import { parseConfig, ProjectConfig, isConfigName } from '../core/config/parse';
import { checkConfig, ConfigProblem } from '../core/config/check';
import { applyEdits, FileFix } from '../core/edits';
import { explainRuleText, explainText } from '../core/explain/explain';
import { checkRuleExamples } from '../core/rules/examples';
import { decode, findConfigFor, readBuiltinPacks, readUserPacks, walkInputs } from '../node/files';
import { scanFileSync } from '../node/scanfile';
import type { RuleBudget } from '../core/scan/scanner';
import { enableLinearRegex, nodeRuleBudget } from '../node/regexGuard';
import { redactFileSync } from '../node/redact';
import { toSarif } from './sarif';
import { unifiedDiff } from './diff';
import { Out, FileResult, JsonFinding, toJsonFinding, configProblemToJson } from './output';

const VERSION = '0.1.0';

class UsageError extends Error {}

interface Args {
  cmd: string;
  format: 'text' | 'json' | 'sarif';
  config?: string;
  rules: string[];
  logs: string[];
  dryRun: boolean;
  test: boolean;
  paths: string[];
  maxCauses: number;
  out?: string;
}

const HELP = `migration-doctor ${VERSION} — explains 401 / auth failures in Microsoft 365 migration logs

Usage:
  migration-doctor scan [--format text|json|sarif] [--config FILE] [--rules PATH]... PATH...
  migration-doctor fix --config FILE [--log FILE]... [--dry-run]
  migration-doctor rules [--format json] [--test] [--rules PATH]...
  migration-doctor explain <rule id | AADSTS code | "quoted log line">
  migration-doctor redact FILE [--out FILE]

scan     Scan log files or folders (*.log, *.txt, *.csv recursively) and config files.
         Exit 0: no error finding; 1: error findings; 2: usage or unreadable input.
fix      Apply the fixes the findings call for to the config file (a unified diff with --dry-run).
rules    List the rules (built-in packs, then --rules packs). With --test, run the examples of the --rules
         packs (all packs without --rules) through the whole engine; exit 1 when one fails.
explain  Explain a rule, an AADSTS code or a log line.
redact   Write a copy of FILE with passwords, client secrets and tokens masked (FILE.redacted.ext); FILE is never changed.
`;

function parseArgs(argv: string[]): Args {
  const a: Args = { cmd: argv[0] ?? '', format: 'text', rules: [], logs: [], dryRun: false, test: false, paths: [], maxCauses: 3 };
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${x} needs a value`);
      return v;
    };
    if (x === '--format' || x.startsWith('--format=')) {
      const v = x.includes('=') ? x.slice(9) : val();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format '${v}' (text, json or sarif)`);
      a.format = v;
    } else if (x === '--config') a.config = val();
    else if (x === '--rules') a.rules.push(val());
    else if (x === '--log') a.logs.push(val());
    else if (x === '--dry-run') a.dryRun = true;
    else if (x === '--test') a.test = true;
    else if (x === '--out' || x === '-o') a.out = val();
    else if (x === '--causes') a.maxCauses = Math.max(1, Number(val()) || 3);
    else if (x === '-h' || x === '--help') a.cmd = 'help';
    else if (x.startsWith('--')) throw new UsageError(`unknown option ${x}`);
    else a.paths.push(x);
  }
  return a;
}

function makeEngine(args: Args, inputErrors: string[]): Engine {
  enableLinearRegex(); // before user packs are compiled
  const { packs, vocabulary } = readBuiltinPacks();
  const user = readUserPacks(args.rules, inputErrors);
  const engine = new Engine([...packs, ...user], vocabulary);
  for (const p of engine.problems) {
    const msg = `${p.file}:${p.line + 1}:${p.column + 1}: ${p.severity}: ${p.message}`;
    if (p.severity === 'error') inputErrors.push(msg);
    else process.stderr.write(`migration-doctor: ${msg}\n`);
  }
  return engine;
}

function loadConfig(file: string, errors: string[]): ProjectConfig | undefined {
  try {
    return parseConfig(file, decode(fs.readFileSync(file)).text);
  } catch (e) {
    errors.push(`${file}: cannot read config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  }
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r.split(path.sep).join('/') : p;
}

function scanCommand(args: Args, out: Out): number {
  if (!args.paths.length) throw new UsageError('scan needs at least one file or folder');
  const inputErrors: string[] = [];
  const engine = makeEngine(args, inputErrors);
  const explicitConfig = args.config ? loadConfig(args.config, inputErrors) : undefined;
  const files: string[] = [];
  for (const p of args.paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      inputErrors.push(`${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (st.isDirectory()) walkInputs(p, files);
    else files.push(p);
  }
  const configCache = new Map<string, ProjectConfig | undefined>();
  const results: FileResult[] = [];
  let totalLines = 0;
  const notices: string[] = [];
  for (const file of files) {
    if (isConfigName(file)) {
      const cfg = loadConfig(file, inputErrors);
      if (!cfg) continue;
      const problems = checkConfig(cfg);
      totalLines += cfg.text.split('\n').length;
      results.push({ file, findings: [], configProblems: problems });
      continue;
    }
    let scan;
    let budget: RuleBudget;
    try {
      budget = nodeRuleBudget();
      scan = scanFileSync(file, engine.matcher, { budget });
    } catch (e) {
      inputErrors.push(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    for (const id of budget.exceeded) {
      notices.push(`${rel(file)}: rule '${id}' took more than ${budget.ms} ms and was switched off for this file (check its patterns for catastrophic backtracking)`);
    }
    if (scan.skipped) {
      notices.push(`${rel(file)}: skipped (${scan.skipped})`);
      continue;
    }
    totalLines += scan.lines;
    let cfg = explicitConfig;
    if (!args.config) {
      const cfgFile = findConfigFor(file);
      if (cfgFile) {
        if (!configCache.has(cfgFile)) configCache.set(cfgFile, loadConfig(cfgFile, inputErrors));
        cfg = configCache.get(cfgFile);
      }
    }
    const findings = engine.analyze(scan.findings, {
      config: cfg,
      newConfigFile: cfg ? undefined : path.join(path.dirname(file), 'support-options.txt'),
    });
    results.push({ file, findings, configProblems: [], encoding: scan.sniff.encoding });
  }
  for (const n of notices) process.stderr.write(`migration-doctor: ${n}\n`);
  for (const e of inputErrors) process.stderr.write(`migration-doctor: ${e}\n`);
  const summary = { files: files.length, lines: totalLines, findings: results.reduce((s, r) => s + r.findings.length + r.configProblems.length, 0) };
  if (args.format === 'json') {
    const findings: JsonFinding[] = [];
    for (const r of results) {
      for (const f of r.findings) findings.push(toJsonFinding(rel(r.file), f, rel));
      for (const p of r.configProblems) findings.push(configProblemToJson(rel(r.file), p, rel));
    }
    out.write(JSON.stringify({ version: 1, findings, summary }, null, 2) + '\n');
  } else if (args.format === 'sarif') {
    out.write(JSON.stringify(toSarif(results, engine, VERSION, rel), null, 2) + '\n');
  } else {
    printText(results, summary, out, args.maxCauses);
  }
  const hasError = results.some((r) => r.findings.some((f) => f.severity === 'error') || r.configProblems.some((p) => p.severity === 'error'));
  if (inputErrors.length) return 2;
  return hasError ? 1 : 0;
}

function printText(results: FileResult[], summary: { files: number; lines: number; findings: number }, out: Out, maxCauses: number): void {
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    if (!r.findings.length && !r.configProblems.length) continue;
    out.write(`\n${rel(r.file)}\n`);
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      const times = f.count > 1 ? ` (x${f.count})` : '';
      out.write(`  ${f.line + 1}:${f.column + 1}  ${f.severity}  ${f.title}${times}  [${f.ruleId}]\n`);
      out.write(`      side: ${f.side}${f.system ? `   system: ${f.system}` : ''}\n`);
      for (const l of explainText(f, { maxCauses })) out.write(`      ${l}\n`);
      const fx = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
      if (fx) {
        const what = fx.edits.map((e) => e.newText.trim()).join(' | ').replace(/\r?\n/g, ' | ');
        out.write(`      fix: ${fx.title}: ${what}\n`);
      }
    }
    for (const p of r.configProblems) {
      if (p.severity === 'error') errors++;
      else if (p.severity === 'warning') warnings++;
      out.write(`  ${p.range.line + 1}:${p.range.column + 1}  ${p.severity}  ${p.message}  [config.${p.code}]\n`);
      if (p.fixes[0]) out.write(`      fix: ${p.fixes[0].title}\n`);
    }
  }
  out.write(`\n${summary.findings} finding(s): ${errors} error(s), ${warnings} warning(s) in ${summary.files} file(s), ${summary.lines} line(s) scanned\n`);
}

/** Apply the fixes for a config: its own preferred problem fixes, then the inserts the logs' findings call for. */
function fixCommand(args: Args, out: Out): number {
  if (!args.config) throw new UsageError('fix needs --config FILE');
  const inputErrors: string[] = [];
  const engine = makeEngine(args, inputErrors);
  const file = args.config;
  let original: string;
  try {
    original = decode(fs.readFileSync(file)).text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && args.logs.length) original = '';
    else {
      process.stderr.write(`migration-doctor: ${file}: cannot read config (${(e as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return 2;
    }
  }
  let text = original;
  const applied: string[] = [];
  // 1. the config's own problems (one preferred fix each, re-checked after every edit)
  for (let guard = 0; guard < 200; guard++) {
    const problems = checkConfig(parseConfig(file, text)).filter((p) => p.fixes.length && p.code !== 'missing-pair');
    const p = problems[0];
    if (!p) break;
    text = applyEdits(text, p.fixes[0].edits);
    applied.push(p.fixes[0].title);
  }
  // 2. inserts called for by the logs' findings
  for (const log of args.logs) {
    let scan;
    try {
      scan = scanFileSync(log, engine.matcher, { budget: nodeRuleBudget() });
    } catch (e) {
      inputErrors.push(`${log}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    for (const raw of scan.findings) {
      const cfg = parseConfig(file, text);
      const [f] = engine.analyze([raw], { config: cfg });
      const fx: FileFix | undefined = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
      if (!fx) continue;
      text = applyEdits(text, fx.edits);
      applied.push(fx.title);
    }
  }
  // 3. pairs still incomplete
  for (let guard = 0; guard < 50; guard++) {
    const p = checkConfig(parseConfig(file, text)).find((x) => x.code === 'missing-pair' && x.fixes.length);
    if (!p) break;
    text = applyEdits(text, p.fixes[0].edits);
    applied.push(p.fixes[0].title);
  }
  for (const e of inputErrors) process.stderr.write(`migration-doctor: ${e}\n`);
  if (text === original) {
    out.write(`${rel(file)}: nothing to fix\n`);
  } else if (args.dryRun) {
    out.write(unifiedDiff(rel(file), original, text));
  } else {
    fs.writeFileSync(file, text);
    out.write(`${rel(file)}: applied ${applied.length} fix(es):\n${applied.map((a) => `  - ${a}`).join('\n')}\n`);
  }
  return inputErrors.length ? 2 : 0;
}

function rulesCommand(args: Args, out: Out): number {
  const inputErrors: string[] = [];
  const engine = makeEngine(args, inputErrors);
  for (const e of inputErrors) process.stderr.write(`migration-doctor: ${e}\n`);
  if (args.test) {
    const selected = args.rules.length ? engine.rules.filter((r) => !r.trusted) : engine.rules;
    const failures = checkRuleExamples(engine, selected);
    for (const f of failures) out.write(`${rel(f.rule.loc.file)}:${f.rule.loc.line + 1}:${f.rule.loc.column + 1}: rule '${f.rule.id}': ${f.message}\n`);
    const examples = selected.reduce((n, r) => n + (r.examples?.match?.length ?? 0) + (r.examples?.noMatch?.length ?? 0), 0);
    out.write(`${selected.length} rule(s), ${examples} example(s): ${failures.length ? `${failures.length} failure(s)` : 'all pass'}\n`);
    return inputErrors.length ? 2 : failures.length ? 1 : 0;
  }
  if (args.format === 'json') {
    const list = engine.rules.map((r) => ({ id: r.id, title: r.title, system: r.system ?? null, severity: r.severity, pack: rel(r.pack), keywords: r.keywords, causes: r.causes.map((c) => c.id), tags: r.tags ?? [] }));
    out.write(JSON.stringify(list, null, 2) + '\n');
  } else {
    const bySystem = new Map<string, typeof engine.rules>();
    for (const r of engine.rules) {
      const k = r.system ?? '(no system)';
      bySystem.set(k, [...(bySystem.get(k) ?? []), r]);
    }
    for (const [sys, rules] of bySystem) {
      out.write(`\n${sys} (${rules.length})\n`);
      for (const r of rules) out.write(`  ${r.id.padEnd(48)} ${r.severity.padEnd(8)} ${r.title}\n`);
    }
    out.write(`\n${engine.rules.length} rules\n`);
  }
  return inputErrors.length ? 2 : 0;
}

function explainCommand(args: Args, out: Out): number {
  const q = args.paths.join(' ').trim();
  if (!q) throw new UsageError('explain needs a rule id, an AADSTS code or a quoted log line');
  const inputErrors: string[] = [];
  const engine = makeEngine(args, inputErrors);
  const rule = engine.rule(q);
  if (rule) {
    out.write(explainRuleText(rule, engine.vocabulary) + '\n');
    return 0;
  }
  const code = /^(?:aadsts)?(\d{5,7})$/i.exec(q);
  const text = code ? `AADSTS${code[1]}: (looked up by code)` : q;
  const findings = engine.scan(text, {}, { budget: nodeRuleBudget() });
  if (!findings.length) {
    out.write(`No rule recognises ${code ? `AADSTS${code[1]}` : 'that line'} as an authentication failure.\n`);
    return 0;
  }
  for (const f of findings) {
    out.write(`${f.ruleId}: ${f.title}\n  side: ${f.side}${f.system ? `   system: ${f.system}` : ''}\n`);
    if (f.rule.summary) out.write(`\n  ${f.rule.summary}\n`);
    out.write('\n');
    for (const l of explainText(f, { maxCauses: 10, allSteps: true })) out.write(`  ${l}\n`);
    const links = f.rule.links ?? [];
    if (links.length) out.write(`\n  References:\n${links.map((l) => `  - ${l.title}${l.url ? ` <${l.url}>` : ''}${l.source ? ` (${l.source})` : ''}`).join('\n')}\n`);
  }
  return 0;
}

function redactCommand(args: Args, out: Out): number {
  if (args.paths.length !== 1) throw new UsageError('redact needs exactly one FILE');
  const file = args.paths[0];
  try {
    const r = redactFileSync(file, args.out);
    out.write(`${rel(r.out)}: ${r.lines} line(s), ${r.masked} with secrets masked (${rel(file)} unchanged)\n`);
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`migration-doctor: ${file}: ${code ? `cannot read (${code})` : (e as Error).message}\n`);
    return 2;
  }
}

export function main(argv: string[], out: Out = { write: (s) => void process.stdout.write(s) }): number {
  let args: Args;
  try {
    args = parseArgs(argv);
    switch (args.cmd) {
      case 'scan':
        return scanCommand(args, out);
      case 'fix':
        return fixCommand(args, out);
      case 'rules':
        return rulesCommand(args, out);
      case 'explain':
        return explainCommand(args, out);
      case 'redact':
        return redactCommand(args, out);
      case 'help':
      case '--help':
      case '-h':
        out.write(HELP);
        return 0;
      case '--version':
      case 'version':
        out.write(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(args.cmd ? `unknown command '${args.cmd}'` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`migration-doctor: ${e.message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`migration-doctor: internal error: ${(e as Error).message}\n`);
    return 2;
  }
}

export type { ConfigProblem, Finding };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
