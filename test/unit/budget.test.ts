// Untrusted (workspace / user) rules run under a per-document time budget and a bounded line window.
import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { RuleBudget, scanText } from '../../src/core/scan/scanner';

describe('time budget for untrusted rules', () => {
  // quadratic, so it passes the static check, but slow on long lines without a match
  const pack = '- {id: user.slow, title: Slow, severity: error, keywords: ["a"], patterns: ["a.*b.*c"], causes: [{id: wrong-credentials}]}\n- {id: user.fine, title: Fine, severity: error, keywords: ["denied"], patterns: ["login denied"], causes: [{id: wrong-credentials}]}\n';
  const engine = new Engine([{ file: 'user.yaml', text: pack, trusted: false }]);

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
});
