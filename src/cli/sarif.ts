// SARIF 2.1.0 output.
import type { Engine } from '../core/engine';
import type { FileResult } from './output';

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(results: FileResult[], engine: Engine, version: string, rel: (p: string) => string): unknown {
  const usedRules = new Map<string, number>();
  const rules: unknown[] = [];
  const ruleIndex = (id: string, make: () => unknown): number => {
    let i = usedRules.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push(make());
      usedRules.set(id, i);
    }
    return i;
  };
  const sarifResults: unknown[] = [];
  const region = (line: number, column: number, endLine: number, endColumn: number) => ({ startLine: line + 1, startColumn: column + 1, endLine: endLine + 1, endColumn: endColumn + 1 });
  for (const r of results) {
    const uri = rel(r.file);
    for (const f of r.findings) {
      const idx = ruleIndex(f.ruleId, () => ({
        id: f.ruleId,
        name: f.ruleId.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase()),
        shortDescription: { text: f.rule.title },
        fullDescription: { text: f.rule.summary ?? f.rule.title },
        ...(f.rule.docUrl ? { helpUri: f.rule.docUrl } : {}),
        help: { text: f.rule.causes.map((c, i) => `${i + 1}. ${c.title ?? engine.vocabulary.get(c.id) ?? c.id}`).join('\n') },
        defaultConfiguration: { level: LEVEL[f.rule.severity] },
        properties: { system: f.system ?? '', tags: f.rule.tags ?? [] },
      }));
      sarifResults.push({
        ruleId: f.ruleId,
        ruleIndex: idx,
        level: LEVEL[f.severity],
        message: { text: `${f.message}${f.count > 1 ? ` (${f.count} occurrences)` : ''}` },
        locations: [{ physicalLocation: { artifactLocation: { uri }, region: region(f.line, f.column, f.endLine, f.endColumn) } }],
        partialFingerprints: { migrationDoctor: f.fingerprint },
        properties: { side: f.side, count: f.count, causes: f.causes.map((c) => ({ id: c.id, title: c.title, rank: c.rank })) },
        ...(f.fixes.length
          ? {
              fixes: f.fixes.filter((fx) => !fx.createFile).map((fx) => ({
                description: { text: fx.title },
                artifactChanges: [{ artifactLocation: { uri: rel(fx.file) }, replacements: fx.edits.map((e) => ({ deletedRegion: region(e.line, e.column, e.endLine, e.endColumn), insertedContent: { text: e.newText } })) }],
              })),
            }
          : {}),
      });
    }
    for (const p of r.configProblems) {
      const id = `config.${p.code}`;
      const idx = ruleIndex(id, () => ({ id, shortDescription: { text: `Project config: ${p.code}` }, defaultConfiguration: { level: LEVEL[p.severity] } }));
      sarifResults.push({
        ruleId: id,
        ruleIndex: idx,
        level: LEVEL[p.severity],
        message: { text: p.message },
        locations: [{ physicalLocation: { artifactLocation: { uri }, region: region(p.range.line, p.range.column, p.range.endLine, p.range.endColumn) } }],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Migration Doctor', version, informationUri: 'https://github.com/migration-doctor/migration-doctor', rules } }, results: sarifResults }],
  };
}
