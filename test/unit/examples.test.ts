// Every rule's own match / noMatch examples run through the real engine (Semgrep/gitleaks style).
import * as assert from 'node:assert/strict';
import { parseSupportOptions } from '../../src/core/config/parse';
import type { Example } from '../../src/core/rules/types';
import { builtinEngine } from './helpers';

describe('rule examples', () => {
  const engine = builtinEngine();
  it('every rule has at least one match and one noMatch example', () => {
    const missing = engine.rules.filter((r) => !r.examples?.match?.length || !r.examples?.noMatch?.length).map((r) => r.id);
    assert.deepEqual(missing, []);
  });
  for (const rule of engine.rules) {
    const norm = (e: Example) => (typeof e === 'string' ? { text: e } : e);
    it(`${rule.id}: match examples`, () => {
      for (const ex of (rule.examples?.match ?? []).map(norm)) {
        const lastLine = ex.text.replace(/\n$/, '').split('\n').length - 1;
        const config = ex.config !== undefined ? parseSupportOptions('support-options.txt', ex.config) : undefined;
        const findings = engine.scan(ex.text, { config }).filter((f) => f.ruleId === rule.id && f.line === lastLine);
        const all = engine.scan(ex.text, { config }).map((f) => `${f.ruleId}@${f.line}`);
        assert.ok(findings.length > 0, `no ${rule.id} finding on line ${lastLine + 1} of ${JSON.stringify(ex.text).slice(0, 200)} (got: ${all.join(', ') || 'nothing'})`);
        const f = findings[0];
        if (ex.side) assert.equal(f.side, ex.side, `side of ${JSON.stringify(ex.text).slice(0, 120)}`);
        if (ex.cause) assert.equal(f.causes[0].id, ex.cause, `top cause of ${JSON.stringify(ex.text).slice(0, 160)}: ${f.causes.map((c) => c.id).join(', ')}`);
        if (ex.causeTop3) assert.ok(f.causes.slice(0, 3).some((c) => c.id === ex.causeTop3), `${ex.causeTop3} not in top 3 of ${f.causes.map((c) => c.id).join(', ')}`);
      }
    });
    it(`${rule.id}: noMatch examples`, () => {
      for (const ex of (rule.examples?.noMatch ?? []).map(norm)) {
        const hits = engine.scan(ex.text).filter((f) => f.ruleId === rule.id);
        assert.equal(hits.length, 0, `${rule.id} fired on ${JSON.stringify(ex.text).slice(0, 200)}`);
      }
    });
  }
});
