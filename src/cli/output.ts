// JSON shapes of the CLI contract (DESIGN §5): 1-based lines and columns.
import type { Finding } from '../core/analyze';
import type { ConfigProblem } from '../core/config/check';
import type { FileFix } from '../core/edits';

export interface Out {
  write(s: string): void;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  configProblems: ConfigProblem[];
  encoding?: string;
}

export interface JsonFix {
  title: string;
  file: string;
  createFile?: boolean;
  edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[];
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: string;
  system: string;
  side: string;
  message: string;
  count: number;
  causes: { id: string; title: string; rank: number; note?: string }[];
  fixes: JsonFix[];
  fingerprint?: string;
  configNotes?: string[];
}

export function fixToJson(fx: FileFix, rel: (p: string) => string): JsonFix {
  return {
    title: fx.title,
    file: rel(fx.file),
    ...(fx.createFile ? { createFile: true } : {}),
    edits: fx.edits.map((e) => ({ line: e.line + 1, column: e.column + 1, endLine: e.endLine + 1, endColumn: e.endColumn + 1, newText: e.newText })),
  };
}

export function toJsonFinding(file: string, f: Finding, rel: (p: string) => string): JsonFinding {
  return {
    file,
    line: f.line + 1,
    column: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
    ruleId: f.ruleId,
    severity: f.severity,
    system: f.system ?? '',
    side: f.side,
    message: f.message,
    count: f.count,
    causes: f.causes.map((c) => ({ id: c.id, title: c.title, rank: c.rank, ...(c.note ? { note: c.note } : {}) })),
    fixes: f.fixes.map((fx) => fixToJson(fx, rel)),
    fingerprint: f.fingerprint,
    ...(f.configNotes.length ? { configNotes: f.configNotes } : {}),
  };
}

export function configProblemToJson(file: string, p: ConfigProblem, rel: (p: string) => string): JsonFinding {
  return {
    file,
    line: p.range.line + 1,
    column: p.range.column + 1,
    endLine: p.range.endLine + 1,
    endColumn: p.range.endColumn + 1,
    ruleId: `config.${p.code}`,
    severity: p.severity,
    system: 'Project config',
    side: 'unknown',
    message: p.message,
    count: 1,
    causes: [],
    fixes: p.fixes.map((fx) => fixToJson(fx, rel)),
  };
}
