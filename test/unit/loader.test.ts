import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';
import { loadPack, loadPacks } from '../../src/core/rules/loader';
import { checkPatternSafety } from '../../src/core/rules/safety';
import { builtinRulesDir, readBuiltinPacks } from '../../src/node/files';
import { builtinEngine } from './helpers';

describe('rule packs', () => {
  const dir = builtinRulesDir();
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema', 'rules.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const { packs } = readBuiltinPacks();

  it('has the seed packs', () => {
    const names = packs.map((p) => path.basename(p.file));
    for (const n of ['migrationwiz.yaml', 'cloudiway.yaml', 'probax-hive.yaml', 'mover.yaml', 'generic-http.yaml']) assert.ok(names.includes(n), `${n} missing`);
  });

  for (const p of packs) {
    it(`${path.basename(p.file)} validates against the schema`, () => {
      const ok = validate(YAML.parse(p.text));
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3), null, 1));
    });
  }

  it('built-in packs load without problems and use only vocabulary cause ids', () => {
    const engine = builtinEngine();
    assert.deepEqual(engine.problems.map((p) => `${p.file}:${p.line + 1}: ${p.message}`), []);
    for (const r of engine.rules) for (const c of r.causes) assert.ok(engine.vocabulary.has(c.id), `${r.id}: ${c.id}`);
    assert.ok(engine.rules.length >= 15);
  });

  it('keeps the DESIGN §4 cause vocabulary', () => {
    const engine = builtinEngine();
    for (const id of ['wrong-credentials', 'password-expired', 'account-locked', 'mfa-required', 'conditional-access', 'security-defaults', 'basic-auth-disabled', 'modern-auth-not-configured', 'impersonation-missing', 'permission-missing', 'consent-missing', 'app-not-found', 'bad-client-secret', 'token-expired', 'license-missing', 'mailbox-not-provisioned', 'propagation-delay', 'protocol-disabled', 'server-overutilized', 'target-missing', 'connector-reauthorize']) {
      assert.ok(engine.vocabulary.has(id), id);
    }
  });

  it('loads a minimal rule (id, title, severity, patterns, causes) as it stands', () => {
    const res = loadPack({ file: 'user.yaml', text: '- id: my.rule\n  title: Mine\n  severity: warning\n  patterns: ["Login denied for \\\\w+"]\n  causes: [{ id: wrong-credentials }]\n' });
    assert.deepEqual(res.problems, []);
    assert.equal(res.rules.length, 1);
    assert.equal(res.rules[0].compiled[0].test('LOGIN DENIED for bob'), true, 'case-insensitive by default');
  });

  it('locates a YAML syntax error and loads nothing from that pack', () => {
    const res = loadPack({ file: 'bad.yaml', text: '- id: a\n  title: [unclosed\n  severity: error\n' });
    assert.equal(res.rules.length, 0);
    assert.ok(res.problems.length >= 1);
    assert.equal(res.problems[0].file, 'bad.yaml');
    assert.ok(res.problems[0].line >= 1, `line ${res.problems[0].line}`);
  });

  it('skips a rule with a broken regex, reports it at the pattern, keeps the others', () => {
    const text = ['- id: good', '  title: Good', '  severity: error', '  patterns: ["ok"]', '  causes: [{id: wrong-credentials}]', '- id: broken', '  title: Broken', '  severity: error', '  patterns:', '    - "fine"', '    - "(unclosed"', '  causes: [{id: wrong-credentials}]', ''].join('\n');
    const res = loadPack({ file: 'p.yaml', text });
    assert.deepEqual(res.rules.map((r) => r.id), ['good']);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0].line, 10);
    assert.equal(res.problems[0].column, 6);
    assert.match(res.problems[0].message, /broken.*invalid regex/);
  });

  it('one broken pack never stops the others', () => {
    const res = loadPacks([
      { file: 'a.yaml', text: ': : :\n  - [' },
      { file: 'b.yaml', text: '- id: b\n  title: B\n  severity: info\n  patterns: ["b"]\n  causes: [{id: wrong-credentials}]\n' },
    ]);
    assert.deepEqual(res.rules.map((r) => r.id), ['b']);
    assert.ok(res.problems.some((p) => p.file === 'a.yaml'));
  });

  it('reports missing required fields with the rule location', () => {
    const res = loadPack({ file: 'm.yaml', text: '- id: x\n  title: X\n  patterns: ["x"]\n  causes: [{id: wrong-credentials}]\n' });
    assert.equal(res.rules.length, 0);
    assert.match(res.problems[0].message, /severity/);
  });

  it('rejects catastrophic-backtracking shapes in user packs only', () => {
    for (const p of ['(a+)+$', '(\\w*\\s?)*x', '(a|a)*b', '((ab)*c)+', '(a|aa)+$', '(\\w|\\d)+$', '(.*a){20}', '.*.*.*x', '\\w+\\d+\\w+$', '(a|a?)+$', '(x+x+)+y', 'a.*b.*c.*d', '(?:.{0,300}?){20}z', '.{0,300}?'.repeat(20) + 'z', '.*.*x', '\\s*.*=', '(?:.*)(?:\\w+)@', '(\\w{1,64}\\s?){1,20}!', '\\d+.*denied']) assert.ok(checkPatternSafety(p), p);
    for (const p of ['\\bAADSTS\\d{5,7}\\b', "Http POST request to '(?<host>[^']+)' failed - 401", '(?:source|destination) credentials', '[a-z]+@[a-z.]+', '(ab)+c', '(?:the |an? |your |access |auth )*token', '\\d{1,3}(?:\\.\\d{1,3}){3}', 'a.*b.*c', '^.*.*x', 'error:\\s*.*token', '.{0,20}.{0,20}x', '[^x]{0,300}']) assert.equal(checkPatternSafety(p), undefined, p);
    // on the linear-time engine only the exponential shapes are refused
    for (const p of ['.*.*x', '\\d+.*denied', 'a.*b.*c.*d', '\\w+\\d+\\w+$']) assert.equal(checkPatternSafety(p, { linear: true }), undefined, p);
    for (const p of ['(a+)+$', '(a|aa)+$', '(.*a){20}', '(?:.{0,300}?){20}z']) assert.ok(checkPatternSafety(p, { linear: true }), p);
    const user = loadPack({ file: 'u.yaml', text: '- id: evil\n  title: E\n  severity: error\n  patterns: ["(a+)+$"]\n  causes: [{id: wrong-credentials}]\n' });
    assert.equal(user.rules.length, 0);
    assert.match(user.problems[0].message, /unsafe regex/);
    const trusted = loadPack({ file: 'u.yaml', trusted: true, text: '- id: evil\n  title: E\n  severity: error\n  patterns: ["(a+)+$"]\n  causes: [{id: wrong-credentials}]\n' });
    assert.equal(trusted.rules.length, 1);
  });
});
