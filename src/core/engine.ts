// The engine facade shared by the CLI and the VS Code layer: packs -> one lazily compiled matcher.
import type { PackSource } from './rules/loader';
import { loadRuleSet } from './rules/precompiled';
import type { PackProblem, Rule } from './rules/types';
import { Matcher, RawFinding, scanText, ScanOptions } from './scan/scanner';
import { analyze, AnalyzeContext, Finding } from './analyze';

export class Engine {
  readonly rules: Rule[];
  readonly problems: PackProblem[];
  readonly vocabulary: Map<string, string>;
  private matcherCache?: Matcher;
  private readonly byId: Map<string, Rule>;

  constructor(packs: PackSource[], vocabularyText?: string) {
    // precompiled packs (dist/rules.json) when they are the very same texts; YAML otherwise
    const res = loadRuleSet(packs, vocabularyText);
    this.vocabulary = res.vocabulary;
    this.rules = res.rules;
    this.problems = res.problems;
    // rules from built-in packs are reviewed and tested; the others run under a time budget
    const trusted = new Set(packs.filter((p) => p.trusted).map((p) => p.file));
    for (const r of this.rules) r.trusted = trusted.has(r.pack);
    this.byId = new Map(this.rules.map((r) => [r.id, r]));
  }

  /** compiled once, on first use, and shared */
  get matcher(): Matcher {
    return (this.matcherCache ??= new Matcher(this.rules));
  }

  rule(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  scanRaw(text: string, opts?: ScanOptions): { findings: RawFinding[]; lines: number; truncated: number } {
    return scanText(this.matcher, text, opts);
  }

  analyze(raw: RawFinding[], ctx: AnalyzeContext = {}): Finding[] {
    return raw.map((r) => analyze(r, { vocabulary: this.vocabulary, ...ctx }));
  }

  scan(text: string, ctx: AnalyzeContext = {}, opts?: ScanOptions): Finding[] {
    return this.analyze(this.scanRaw(text, opts).findings, ctx);
  }
}
