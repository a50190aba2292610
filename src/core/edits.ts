// Plain text edits (0-based positions), shared by fixes, config checks, the CLI and the VS Code layer.
export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
  /** same edit with snippet tab stops (`${1:client-id-guid}`), for editors that support snippets */
  snippet?: string;
}

export interface FileFix {
  title: string;
  /** the file the edits apply to */
  file: string;
  edits: TextEdit[];
  /** the file does not exist yet: create it with the edits' text */
  createFile?: boolean;
  preferred?: boolean;
  /** keys this fix adds (for idempotence checks and messages) */
  keys?: string[];
  /** the option templates (snippet syntax) behind an insert fix: re-applied against the config's current text */
  insertOptions?: string[];
}

/**
 * Apply edits to a text (edits must not overlap). Positions beyond the end clamp to it. Inserts at one position
 * appear in array order (as in LSP and VS Code).
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (line: number, col: number): number => {
    if (line >= lineStarts.length) return text.length;
    const start = lineStarts[line];
    const lineEnd = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    return Math.min(start + col, lineEnd);
  };
  const withOffsets = edits
    .map((e, i) => ({ e, i, s: offset(e.line, e.column), t: offset(e.endLine, e.endColumn) }))
    .sort((a, b) => b.s - a.s || b.t - a.t || b.i - a.i);
  let out = text;
  for (const { e, s, t } of withOffsets) out = out.slice(0, s) + e.newText + out.slice(t);
  return out;
}

/** Replace `${n:placeholder}` / `$n` snippet syntax with the placeholder text. */
export const GUID_PLACEHOLDER = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
export function snippetToText(s: string): string {
  return s.replace(/\$\{\d+:([^}]*)\}/g, (_m, p: string) => (/guid/i.test(p) ? GUID_PLACEHOLDER : p)).replace(/\$\{\d+\}|\$\d+/g, '');
}
