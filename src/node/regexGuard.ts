// Node side of the regex safety for untrusted rule packs (see src/core/rules/regex.ts and RuleBudget):
//  - `enableLinearRegex()` switches on V8's linear-time regex engine (the `l` flag), so that user patterns it accepts
//    are compiled with it and cannot backtrack at all;
//  - `guardedExec` runs any other regex inside `vm` with a timeout, which V8 honours even in the middle of a
//    backtracking match: a rule over its budget is stopped, not waited for.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { linearRegexAvailable } from '../core/rules/regex';
import { GuardedExec, RuleBudget } from '../core/scan/scanner';

let tried = false;

/** Switch on the `l` regex flag (call before user packs are loaded). Returns whether it is available. */
export function enableLinearRegex(): boolean {
  if (!tried) {
    tried = true;
    try {
      // only adds a flag to the RegExp syntax; existing regexes and other code are unaffected
      v8.setFlagsFromString('--enable-experimental-regexp-engine');
    } catch {
      // not a V8 that knows the flag: the guard and the budget still apply
    }
  }
  return linearRegexAvailable();
}

let context: vm.Context | undefined;
let script: vm.Script | undefined;

/** `re.exec(subject)`, stopped after `ms` milliseconds (undefined then). */
export const guardedExec: GuardedExec = (re, subject, ms) => {
  context ??= vm.createContext({ re: null, s: '' });
  script ??= new vm.Script('re.lastIndex = 0; re.exec(s)');
  context.re = re;
  context.s = subject;
  try {
    return script.runInContext(context, { timeout: Math.max(1, Math.ceil(ms)) }) as RegExpExecArray | null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined;
    throw e;
  } finally {
    context.re = null;
    context.s = '';
  }
};

/** A per-document budget for untrusted rules whose non-linear regexes can be stopped mid-match. */
export function nodeRuleBudget(ms = 200): RuleBudget {
  return new RuleBudget(ms, guardedExec);
}
