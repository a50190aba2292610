// Every rule's own match / noMatch examples run through the real engine (Semgrep/gitleaks style), with the same
// check as `migration-doctor rules --test`.
import * as assert from 'node:assert/strict';
import { checkRuleExamples } from '../../src/core/rules/examples';
import { Engine } from '../../src/core/engine';
import { builtinEngine } from './helpers';

describe('rule examples', () => {
  const engine = builtinEngine();
  it('every rule has at least one match and one noMatch example', () => {
    assert.deepEqual(checkRuleExamples(engine).filter((f) => f.kind === 'missing').map((f) => f.rule.id), []);
  });
  for (const rule of engine.rules) {
    it(`${rule.id}: match and noMatch examples, side and causes, in the whole engine`, () => {
      assert.deepEqual(checkRuleExamples(engine, [rule]).filter((f) => f.kind !== 'missing').map((f) => f.message), []);
    });
  }
  it('the check fails where it should: wrong match, wrong noMatch, wrong side and cause, missing lists', () => {
    const e = new Engine([{ file: 'u.yaml', trusted: false, text: [
      '- id: u.a',
      '  title: A',
      '  severity: error',
      '  patterns: ["login denied"]',
      '  causes: [{id: wrong-credentials}, {id: mfa-required}]',
      '  examples:',
      '    match: ["nothing here", {text: "login denied (source)", side: destination, cause: mfa-required}]',
      '    noMatch: ["login denied again"]',
      '- id: u.b',
      '  title: B',
      '  severity: error',
      '  patterns: ["x401x"]',
      '  causes: [{id: wrong-credentials}]',
      '',
    ].join('\n') }]);
    const msgs = checkRuleExamples(e).map((f) => `${f.rule.id} ${f.kind}: ${f.message}`);
    assert.equal(msgs.length, 5, msgs.join('\n'));
    assert.match(msgs[0], /^u\.a match: match example 1 gives no finding/);
    assert.match(msgs[1], /side unknown, expected destination/);
    assert.match(msgs[2], /top cause wrong-credentials, expected mfa-required/);
    assert.match(msgs[3], /^u\.a noMatch: noMatch example 1 gives a finding/);
    assert.match(msgs[4], /^u\.b missing/);
  });
});
