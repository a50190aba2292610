// Rule pack model. A pack is YAML: either a list of rules, or a mapping
// `{ pack?: string, system?: string, rules: [...] }`. See rules/README.md.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Side = 'source' | 'destination' | 'unknown';

/** Conditions that raise (or, for config state, lower) a cause's rank. */
export interface CauseWhen {
  /** Support-option keys; `{Side}` expands to Export/Import. True when the tied config lacks any of them (or has an invalid value). */
  configMissing?: string[];
  /** True when the tied config has all of these keys with valid values. */
  configPresent?: string[];
  /** Regexes tested (case-insensitive) on the context window: the finding's line and the lines before it. */
  context?: string[];
  /** Regexes tested on the finding's line only. */
  line?: string[];
  /** True when the detected side is this one. */
  side?: 'source' | 'destination';
  /**
   * How strongly the line / context / side conditions raise the cause (default 1; 0.1 to 3). A raised cause with
   * weight 0.5 still outranks every unraised one but yields to one raised with weight 1. Config conditions are
   * weighed on their own.
   */
  weight?: number;
}

export interface CauseSpec {
  id: string;
  title?: string;
  steps?: string[];
  /** Where the knowledge comes from: a seed file name or a URL/document title. */
  source?: string;
  when?: CauseWhen;
}

export interface FixSpec {
  title: string;
  /** Support-option lines to add to the tied config. `{Side}` expands; `${1:placeholder}` snippet syntax allowed. */
  insertOptions: string[];
  /** Only offered when this is true (same vocabulary as a cause's `when`). */
  when?: CauseWhen;
  preferred?: boolean;
}

export interface LinkSpec {
  title: string;
  url?: string;
  source?: string;
}

export interface ExampleObject {
  /** One or more lines; a finding must be reported on the last line. Earlier lines are context. */
  text: string;
  side?: Side;
  /** Expected top-ranked cause id. */
  cause?: string;
  /** Expected cause id among the top 3. */
  causeTop3?: string;
  /** Support-options text to tie as config while running this example. */
  config?: string;
}
export type Example = string | ExampleObject;

export interface SideSpec {
  /** Fixed side for every match. */
  fixed?: Side;
  /** Regex with a named group `side`, tested on the line, then on the context window (nearest line first). */
  from?: string;
}

export interface RuleSpec {
  id: string;
  title: string;
  severity: Severity;
  patterns: string[];
  causes: CauseSpec[];
  system?: string;
  summary?: string;
  message?: string;
  keywords?: string[];
  exclude?: string[];
  caseSensitive?: boolean;
  priority?: number;
  side?: Side | SideSpec;
  context?: { before?: number };
  fixes?: FixSpec[];
  links?: LinkSpec[];
  tags?: string[];
  examples?: { match?: Example[]; noMatch?: Example[] };
}

export interface Located {
  file: string;
  /** 0-based */
  line: number;
  /** 0-based */
  column: number;
}

export interface PackProblem extends Located {
  severity: 'error' | 'warning';
  message: string;
  endLine?: number;
  endColumn?: number;
  ruleId?: string;
}

/** A rule after loading and validation: regexes compiled, defaults filled in. */
export interface Rule extends RuleSpec {
  pack: string;
  /** location of the rule's `id` in its pack */
  loc: Located;
  priority: number;
  keywords: string[];
  compiled: RegExp[];
  excludeCompiled: RegExp[];
  sideFrom?: RegExp;
  sideFixed?: Side;
  before: number;
  /** Docs link used as the diagnostic code target. */
  docUrl?: string;
  /** from a built-in pack (reviewed and tested); user packs are not trusted and run under a time budget */
  trusted?: boolean;
}
