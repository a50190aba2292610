// Running a rule's own match / noMatch examples through the whole engine (every pack loaded, priorities and
// exclusions included), as `migration-doctor rules --test` and the unit tests do. An example that only passes when
// its rule is run alone (another rule wins the line in the real engine) is a failure here.
import type { Engine } from '../engine';
import { parseSupportOptions } from '../config/parse';
import type { Example, ExampleObject, Rule } from './types';

export interface ExampleFailure {
  rule: Rule;
  kind: 'match' | 'noMatch' | 'missing';
  /** 0-based index of the example in its list */
  index: number;
  message: string;
}

const norm = (e: Example): ExampleObject => (typeof e === 'string' ? { text: e } : e);
const show = (s: string, n = 160) => JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);

/** Failures of the examples of `rules` (default: every rule of the engine). */
export function checkRuleExamples(engine: Engine, rules: Rule[] = engine.rules): ExampleFailure[] {
  const out: ExampleFailure[] = [];
  for (const rule of rules) {
    const match = (rule.examples?.match ?? []).map(norm);
    const noMatch = (rule.examples?.noMatch ?? []).map(norm);
    if (!match.length || !noMatch.length) {
      out.push({ rule, kind: 'missing', index: 0, message: `needs at least one match and one noMatch example` });
    }
    match.forEach((ex, index) => {
      const lastLine = ex.text.replace(/\n$/, '').split('\n').length - 1;
      const config = ex.config !== undefined ? parseSupportOptions('support-options.txt', ex.config) : undefined;
      const all = engine.scan(ex.text, { config });
      const f = all.find((x) => x.ruleId === rule.id && x.line === lastLine);
      if (!f) {
        const got = all.map((x) => `${x.ruleId} on line ${x.line + 1}`).join(', ') || 'nothing';
        out.push({ rule, kind: 'match', index, message: `match example ${index + 1} gives no finding on its last line: ${show(ex.text)} (the engine reports: ${got})` });
        return;
      }
      const causes = f.causes.map((c) => c.id);
      if (ex.side && f.side !== ex.side) out.push({ rule, kind: 'match', index, message: `match example ${index + 1}: side ${f.side}, expected ${ex.side}: ${show(ex.text)}` });
      if (ex.cause && causes[0] !== ex.cause) out.push({ rule, kind: 'match', index, message: `match example ${index + 1}: top cause ${causes[0] ?? 'none'}, expected ${ex.cause} (ranked: ${causes.join(', ')}): ${show(ex.text)}` });
      if (ex.causeTop3 && !causes.slice(0, 3).includes(ex.causeTop3)) out.push({ rule, kind: 'match', index, message: `match example ${index + 1}: ${ex.causeTop3} not in the top 3 (${causes.slice(0, 3).join(', ')}): ${show(ex.text)}` });
    });
    noMatch.forEach((ex, index) => {
      if (engine.scan(ex.text).some((x) => x.ruleId === rule.id)) out.push({ rule, kind: 'noMatch', index, message: `noMatch example ${index + 1} gives a finding: ${show(ex.text)}` });
    });
  }
  return out;
}
