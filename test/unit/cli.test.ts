// The CLI contract (DESIGN §5), run as a user would: node dist/cli.js ...
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const DEST = "Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.";

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-cli-'));
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'a.log'), `2024-05-01 10:00:00 start\n2024-05-01 10:00:01 ${DEST}\n2024-05-01 10:00:02 ${DEST}\nBatch 7 completed: 401 items migrated\n`);
    fs.writeFileSync(path.join(dir, 'support-options.txt'), 'UseEwsImportImpersonation=1\nFolderMaping="^INBOX/->"\n');
    fs.writeFileSync(path.join(dir, 'clean.log'), 'all good\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scan --format json follows the contract, ties the nearest config, folds repeats', () => {
    const r = run(['scan', '--format', 'json', 'logs/a.log'], dir);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.version, 1);
    assert.equal(j.findings.length, 1);
    const f = j.findings[0];
    assert.equal(f.file, 'logs/a.log');
    assert.equal(f.line, 2);
    assert.ok(f.column > 20 && f.endColumn > f.column && f.endLine === 2);
    assert.equal(f.side, 'destination');
    assert.equal(f.count, 2);
    assert.equal(f.severity, 'error');
    assert.equal(f.system, 'MigrationWiz');
    assert.equal(f.causes[0].id, 'modern-auth-not-configured');
    assert.equal(f.causes[0].rank, 1);
    const fix = f.fixes[0];
    assert.equal(fix.file, 'support-options.txt');
    assert.deepEqual(fix.edits[0].line, 3);
    assert.match(fix.edits[0].newText, /^ModernAuthClientIdImport=/);
    assert.deepEqual(j.summary, { files: 1, lines: 4, findings: 1 });
  });

  it('exits 0 with no error finding', () => {
    const r = run(['scan', 'clean.log'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /0 finding/);
  });

  it('scan on a config file reports its problems', () => {
    const r = run(['scan', '--format', 'json', 'support-options.txt'], dir);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.findings.map((f: { ruleId: string }) => f.ruleId), ['config.unknown-key']);
    assert.match(j.findings[0].message, /Did you mean 'FolderMapping'/);
  });

  it('text output groups by file with side, causes, first step and fix', () => {
    const r = run(['scan', 'logs'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /logs\/a\.log\n/);
    assert.match(r.out, /side: destination/);
    assert.match(r.out, /1\. .*\n\s+- /);
    assert.match(r.out, /fix: /);
  });

  it('SARIF 2.1.0', () => {
    const r = run(['scan', '--format', 'sarif', 'logs/a.log'], dir);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    assert.equal(s.runs[0].results[0].ruleId.startsWith('migrationwiz.'), true);
    assert.equal(s.runs[0].results[0].locations[0].physicalLocation.region.startLine, 2);
    assert.ok(s.runs[0].tool.driver.rules.length >= 1);
  });

  it('exit 2 with one clear line for a missing path, a usage error, a broken pack; never a stack trace', () => {
    const miss = run(['scan', 'nope.log'], dir);
    assert.equal(miss.code, 2);
    assert.match(miss.err, /nope\.log: cannot read \(ENOENT\)/);
    const usage = run(['scan', '--format', 'xml', 'clean.log'], dir);
    assert.equal(usage.code, 2);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), '- id: x\n  title: [oops\n');
    const broken = run(['scan', '--rules', 'broken.yaml', '--format', 'json', 'logs/a.log'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /broken\.yaml:\d+:\d+: error: /);
    assert.equal(JSON.parse(broken.out).findings.length, 1, 'built-in findings still reported');
    for (const r of [miss, usage, broken]) assert.doesNotMatch(r.err, /\n\s+at /);
  });

  it('a ReDoS pack: exponential shapes refused, a cubic one on the linear engine, a guarded one stopped mid-match', () => {
    const pack = [
      ['nested', '(a+)+$'],
      ['counted', '(?:.{0,300}?){20}z'],
      ['leading', '.*.*qx'],
      ['guarded', 'q(?=.)[aq]*[aq]*b'],
    ].map(([id, p]) => `- {id: redos.${id}, title: ${id}, severity: error, patterns: [${JSON.stringify(p)}], causes: [{id: wrong-credentials}]}\n`).join('');
    fs.writeFileSync(path.join(dir, 'redos.yaml'), pack);
    fs.writeFileSync(path.join(dir, 'redos.log'), ['a'.repeat(200000) + '!', 'b'.repeat(35), 'a'.repeat(8000), 'q'.repeat(8000), `x ${DEST}`].join('\n') + '\n');
    const t0 = Date.now();
    const r = run(['scan', '--rules', 'redos.yaml', '--format', 'json', 'redos.log'], dir);
    const ms = Date.now() - t0;
    assert.ok(ms < 20000, `${ms} ms`); // each shape alone runs for minutes or more when unguarded (bench/hostile.mjs)
    assert.equal(r.code, 2);
    assert.match(r.err, /redos\.yaml:1:\d+: error: rule 'redos\.nested': unsafe regex/);
    assert.match(r.err, /redos\.yaml:2:\d+: error: rule 'redos\.counted': unsafe regex/);
    assert.doesNotMatch(r.err, /redos\.leading/);
    assert.match(r.err, /rule 'redos\.guarded' took more than 200 ms and was switched off/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    assert.deepEqual(JSON.parse(r.out).findings.map((f: { ruleId: string }) => f.ruleId), ['migrationwiz.autodiscover-401'], 'built-in findings still reported');
  });

  it('rules --test runs the examples of a user pack through the whole engine, with the rule\'s location', () => {
    fs.writeFileSync(path.join(dir, 'mine.yaml'), [
      '- id: mine.denied',
      '  title: Denied',
      '  severity: error',
      '  keywords: [denied]',
      '  patterns: ["gateway login denied"]',
      '  causes: [{id: wrong-credentials}]',
      '  examples:',
      '    match: ["gateway login denied for bob", "gateway login refused"]',
      '    noMatch: ["gateway login ok"]',
      '',
    ].join('\n'));
    const r = run(['rules', '--test', '--rules', 'mine.yaml'], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^mine\.yaml:1:7: rule 'mine\.denied': match example 2 gives no finding on its last line: "gateway login refused"/m);
    assert.match(r.out, /1 rule\(s\), 3 example\(s\): 1 failure\(s\)/);
    const all = run(['rules', '--test'], dir);
    assert.equal(all.code, 0, all.out);
    assert.match(all.out, /all pass/);
  });

  it('fix --dry-run prints a diff; fix writes the config and is idempotent', () => {
    const cfg = path.join(dir, 'support-options.txt');
    const before = fs.readFileSync(cfg, 'utf8');
    const dry = run(['fix', '--config', 'support-options.txt', '--log', 'logs/a.log', '--dry-run'], dir);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^\+ModernAuthClientIdImport=/m);
    assert.match(dry.out, /^-FolderMaping/m);
    assert.equal(fs.readFileSync(cfg, 'utf8'), before, 'dry run writes nothing');
    assert.equal(run(['fix', '--config', 'support-options.txt', '--log', 'logs/a.log'], dir).code, 0);
    const once = fs.readFileSync(cfg, 'utf8');
    assert.match(once, /FolderMapping="\^INBOX\/->"/);
    assert.match(once, /ModernAuthTenantIdImport=/);
    run(['fix', '--config', 'support-options.txt', '--log', 'logs/a.log'], dir);
    assert.equal(fs.readFileSync(cfg, 'utf8'), once);
  });

  it('rules --format json lists the rules; explain takes a rule id or a log line', () => {
    const rules = JSON.parse(run(['rules', '--format', 'json']).out);
    assert.ok(rules.length >= 15);
    assert.ok(rules.some((r: { id: string }) => r.id.startsWith('migrationwiz.')));
    const id = rules.find((r: { id: string }) => r.id.startsWith('migrationwiz.')).id;
    assert.match(run(['explain', id]).out, /Causes, most likely first/);
    const line = run(['explain', DEST]);
    assert.equal(line.code, 0);
    assert.match(line.out, /side: destination/);
  });

  it('redact writes a masked copy and never touches the original; no output ever shows the secret', () => {
    const secret = 'abc8Q~Zx1yTT7pqrstuvwxyzABCDEFGHIJKLMNO12';
    const log = path.join(dir, 'secret.log');
    const original = `token request client_secret=${secret}\r\n${DEST} client_secret=${secret}\r\n`;
    fs.writeFileSync(log, original);
    const r = run(['redact', 'secret.log'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(log, 'utf8'), original);
    const copy = fs.readFileSync(path.join(dir, 'secret.redacted.log'), 'utf8');
    assert.ok(!copy.includes(secret));
    assert.equal(copy.split('\r\n').length, 3, 'line endings kept');
    for (const fmt of ['text', 'json', 'sarif']) {
      const s = run(['scan', '--format', fmt, 'secret.log'], dir);
      assert.ok(!s.out.includes(secret) && !s.err.includes(secret), fmt);
    }
    assert.ok(!run(['explain', `${DEST} client_secret=${secret}`]).out.includes(secret));
  });

  it('CSV reports: a finding points at its row and cell, and the columns give side and user', () => {
    fs.writeFileSync(path.join(dir, 'ProjectError.csv'), 'TaskId,Name,SourcePath,FullPath,Action,ResultCode,FailureReason\nt-1,report.pdf,/Finance/report.pdf,/Finance/report.pdf,Upload,MAUTHACCESSTOKENINVALID,access token is invalid or expired\n');
    const j = JSON.parse(run(['scan', '--format', 'json', 'ProjectError.csv'], dir).out);
    assert.equal(j.findings.length, 1);
    const f = j.findings[0];
    assert.equal(f.line, 2);
    const row = 't-1,report.pdf,/Finance/report.pdf,/Finance/report.pdf,Upload,MAUTHACCESSTOKENINVALID,access token is invalid or expired';
    assert.ok(['MAUTHACCESSTOKENINVALID', 'access token is invalid or expired'].includes(row.slice(f.column - 1, f.endColumn - 1)), row.slice(f.column - 1, f.endColumn - 1));
    assert.equal(f.side, 'destination');
  });
});
