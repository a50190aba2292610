// Untrusted (workspace / user) rules run under a per-document time budget and a bounded line window.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { RuleBudget, scanText } from '../../src/core/scan/scanner';
import { enableLinearRegex, nodeRuleBudget } from '../../src/node/regexGuard';
import { isLinearRegex } from '../../src/core/rules/regex';

describe('time budget for untrusted rules', () => {
  // quadratic, so it passes the static check, but slow on long lines without a match
  const pack = '- {id: user.slow, title: Slow, severity: error, keywords: ["a"], patterns: ["a.*b.*c"], causes: [{id: wrong-credentials}]}\n- {id: user.fine, title: Fine, severity: error, keywords: ["denied"], patterns: ["login denied"], causes: [{id: wrong-credentials}]}\n';
  const engine = new Engine([{ file: 'user.yaml', text: pack, trusted: false }]);
  // the backtracking engine, whether or not another test switched the linear one on
  engine.rules[0].compiled = [new RegExp('a.*b.*c', 'i')];

  it('switches a rule off for the document once it has spent its budget; the others keep working', () => {
    const long = 'a'.repeat(20000) + 'b';
    const text = [...Array(40).fill(long), 'login denied for bob', 'xx abc'].join('\n');
    const budget = new RuleBudget(50);
    const t0 = Date.now();
    const res = scanText(engine.matcher, text, { budget });
    assert.ok(budget.exceeded.has('user.slow'), `spent ${budget.spent.get('user.slow')} ms`);
    assert.ok(!budget.exceeded.has('user.fine'));
    assert.deepEqual(res.findings.map((f) => f.rule.id), ['user.fine']);
    assert.ok(Date.now() - t0 < 30000);
  });

  it('does not charge built-in (trusted) rules', () => {
    const trusted = new Engine([{ file: 'builtin.yaml', text: pack, trusted: true }]);
    const budget = new RuleBudget(1);
    scanText(trusted.matcher, 'xx abc\nlogin denied', { budget });
    assert.equal(budget.spent.size, 0);
  });

  it('a (a+)+$ user rule is refused at load, and scanning a 200,000-character line stays quick', () => {
    const evil = new Engine([{ file: 'evil.yaml', text: '- {id: evil, title: E, severity: error, patterns: ["(a+)+$"], causes: [{id: wrong-credentials}]}\n', trusted: false }]);
    assert.equal(evil.rules.length, 0);
    assert.match(evil.problems[0].message, /unsafe regex/);
    const t0 = Date.now();
    scanText(evil.matcher, 'a'.repeat(200000) + '!', { budget: new RuleBudget() });
    assert.ok(Date.now() - t0 < 5000);
  });

  it('stops a backtracking regex in the middle of its match once the rule is out of budget (Node guard)', () => {
    // (a+)+$ is refused at load; put it in by hand, as a shape the static check would miss
    const e = new Engine([{ file: 'u.yaml', text: '- {id: user.hang, title: H, severity: error, keywords: ["aaa"], patterns: ["aaa"], causes: [{id: wrong-credentials}]}\n- {id: user.ok, title: OK, severity: error, keywords: ["denied"], patterns: ["login denied"], causes: [{id: wrong-credentials}]}\n', trusted: false }]);
    e.rules[0].compiled = [/(a+)+$/];
    const budget = nodeRuleBudget(100);
    const t0 = Date.now();
    const res = scanText(e.matcher, ['a'.repeat(40) + '!', 'login denied', 'a'.repeat(60) + '!'].join('\n'), { budget });
    const ms = Date.now() - t0;
    assert.ok(ms < 3000, `${ms} ms`); // 2^40 steps unguarded
    assert.ok(budget.exceeded.has('user.hang'));
    assert.deepEqual(res.findings.map((f) => f.rule.id), ['user.ok']);
  });

  it('compiles user patterns with the linear-time engine where V8 allows it', () => {
    assert.equal(enableLinearRegex(), true, 'this Node has the experimental linear regex engine');
    const e = new Engine([{ file: 'u.yaml', text: '- {id: user.lin, title: L, severity: error, keywords: ["a"], patterns: ["a.*b.*c"], side: {from: "(?<side>source|target)"}, causes: [{id: wrong-credentials}]}\n- {id: user.look, title: K, severity: error, keywords: ["denied"], patterns: ["login (?=denied)"], causes: [{id: wrong-credentials}]}\n', trusted: false }]);
    assert.ok(isLinearRegex(e.rules[0].compiled[0]));
    assert.ok(isLinearRegex(e.rules[0].sideFrom!));
    assert.ok(!isLinearRegex(e.rules[1].compiled[0]), 'look-ahead needs the backtracking engine (guarded)');
    const trusted = new Engine([{ file: 'b.yaml', text: '- {id: b, title: B, severity: error, patterns: ["a.*b"], causes: [{id: wrong-credentials}]}\n', trusted: true }]);
    assert.ok(!isLinearRegex(trusted.rules[0].compiled[0]), 'built-in packs keep the usual engine');
    // quadratic-per-start under backtracking; linear now: the whole budget is not even needed
    const long = 'a'.repeat(20000) + 'b';
    const budget = nodeRuleBudget(200);
    const res = scanText(e.matcher, [...Array(40).fill(long), 'source: a b c', 'login denied'].join('\n'), { budget });
    assert.equal(budget.exceeded.size, 0, `spent ${budget.spent.get('user.lin')} ms`);
    assert.deepEqual(res.findings.map((f) => [f.rule.id, f.side]), [['user.lin', 'source'], ['user.look', 'unknown']]);
  });

  it('gives every untrusted rule a budget even when the caller passes none', () => {
    const e = new Engine([{ file: 'u.yaml', text: '- {id: user.w, title: W, severity: error, patterns: ["zz$"], causes: [{id: wrong-credentials}]}\n', trusted: false }]);
    // the match is beyond the 8 KB head window that untrusted rules see
    assert.deepEqual(scanText(e.matcher, 'x'.repeat(9000) + 'zz').findings, []);
    assert.equal(scanText(e.matcher, 'x'.repeat(100) + 'zz').findings.length, 1);
  });
});
