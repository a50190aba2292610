// Incremental re-diagnosis of an open document: after an edit, only the changed lines (and the lines whose
// context window reaches them) are matched again; every other line keeps its cached findings, shifted by the
// edit's line delta. The result is always exactly what a full scan of the document would give (scanText of its
// lines joined with '\n': same findings, folding, counts, occurrences and truncation).
//
// API (core, no VS Code types; the VS Code layer keeps one IncrementalScan per open log document):
//
//   const inc = new IncrementalScan(engine.matcher, { disabled, maxFindings: 5000 });
//   const lines = { lineCount: document.lineCount, getLine: (i: number) => document.lineAt(i).text };
//   inc.full(lines);                                 // or document.getText(), or an array of lines
//   // on each change event, for each content change (in the order VS Code lists them):
//   const raw = inc.applyEdits(
//     event.contentChanges.map((c) => ({
//       startLine: c.range.start.line,               // first line touched
//       oldEndLine: c.range.end.line + 1,            // end (exclusive) of the replaced lines, before the change
//       newLineCount: c.text.split('\n').length,     // lines that replace them
//     })),
//     (i) => document.lineAt(i).text,                // the document after the whole event
//   );
//   engine.analyze(raw, ...)                         // as with engine.scanRaw(text).findings
//
// Each edit is in the coordinates left by the edits before it (VS Code's contentChanges order). Lines are the
// document's lines without their end of line; a line here is what scanText sees between two '\n' (a trailing
// '\r' removed). (A document with lone '\r' line breaks: VS Code splits lines there, scanText does not; give
// full() the line accessor, as above, so that full scans and edits agree on the lines.)
// `inc.findings` / `inc.truncated` / `inc.lineCount` give the current state. The options (disabled rules,
// maxFindings, maxLineLength) are fixed per IncrementalScan: make a new one (full) when they change, and when
// the rules change (a new matcher).
//
// Cost of an edit: matching the changed lines plus `matcher.maxBefore` lines after them (keyword regex, and rule
// regexes on the few lines that have keywords), shifting the cached rows after the edit, and folding the cached
// findings again (linear in the number of lines that have findings, not in the document size).
import { FindingSink, Matcher, RawFinding, ScanOptions, scanTextInto, DEFAULT_MAX_LINE, withBudget } from './scanner';

export interface LineEdit {
  /** first line touched (0-based, coordinates before this edit) */
  startLine: number;
  /** end, exclusive, of the replaced lines (before this edit); startLine + 1 for an edit within one line */
  oldEndLine: number;
  /** how many lines replace them (1 for an edit within one line) */
  newLineCount: number;
}

export interface LineSource {
  lineCount: number;
  getLine(i: number): string;
}

export class IncrementalScan {
  private readonly maxLen: number;
  /** lines that have findings, ascending, and their (unfolded) findings */
  private rowLines: number[] = [];
  private rowFindings: RawFinding[][] = [];
  private lines = 0;
  private folded: RawFinding[] = [];
  private cut = 0;

  private readonly opts: ScanOptions;
  constructor(private readonly matcher: Matcher, opts: ScanOptions = {}) {
    this.opts = withBudget(matcher, opts);
    this.maxLen = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  /** the folded findings, as scanText(...).findings of the current document */
  get findings(): RawFinding[] {
    return this.folded;
  }
  /** distinct findings dropped by maxFindings */
  get truncated(): number {
    return this.cut;
  }
  /** lines of the current document */
  get lineCount(): number {
    return this.lines;
  }

  /** Scan a whole document (text, lines, or a line accessor) and cache its findings line by line. */
  full(input: string | readonly string[] | LineSource): RawFinding[] {
    let text: string;
    if (typeof input === 'string') {
      text = input;
      let n = 1;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
      this.lines = n;
    } else {
      const arr = Array.isArray(input) ? (input as readonly string[]) : linesOf(input as LineSource);
      text = arr.join('\n');
      this.lines = arr.length;
    }
    const rows = new RowSink();
    scanTextInto(this.matcher, text, rows, { ...this.opts, maxFindings: undefined, stats: undefined });
    this.rowLines = rows.lines;
    this.rowFindings = rows.findings;
    return this.fold();
  }

  /** One edit (see LineEdit); `getLine` reads the document after it. */
  applyEdit(startLine: number, oldEndLine: number, newLineCount: number, getLine: (i: number) => string): RawFinding[] {
    return this.applyEdits([{ startLine, oldEndLine, newLineCount }], getLine);
  }

  /**
   * Several edits, each in the coordinates left by the previous ones; `getLine` reads the document after all
   * of them. Returns the folded findings of the new document.
   */
  applyEdits(edits: readonly LineEdit[], getLine: (i: number) => string): RawFinding[] {
    let dirty: [number, number][] = [];
    for (const e of edits) {
      const start = Math.max(0, Math.min(e.startLine, this.lines));
      const oldEnd = Math.max(start, Math.min(e.oldEndLine, this.lines));
      const count = Math.max(0, e.newLineCount);
      const delta = count - (oldEnd - start);
      this.lines += delta;
      this.shiftRows(start, oldEnd, delta);
      // earlier dirty ranges move with the edit; the edited lines are dirty
      const moved: [number, number][] = [];
      for (const [s, t] of dirty) {
        const ms = s < start ? s : s >= oldEnd ? s + delta : start;
        const mt = t <= start ? t : t >= oldEnd ? t + delta : start + count;
        moved.push([ms, Math.max(ms, mt)]); // an empty range (lines deleted) still dirties the lines after it
      }
      moved.push([start, start + count]);
      dirty = moved;
    }
    // lines whose context window (maxBefore lines back) reaches an edited line are dirty too
    const ranges = mergeRanges(dirty.map(([s, t]) => [s, Math.min(this.lines, t + this.matcher.maxBefore)] as [number, number]));
    for (const [s, t] of ranges) this.rescan(s, t, getLine);
    return this.fold();
  }

  /** drop the cached rows of the replaced lines [start, oldEnd); move those after them by `delta` */
  private shiftRows(start: number, oldEnd: number, delta: number): void {
    const a = lowerBound(this.rowLines, start);
    const b = lowerBound(this.rowLines, oldEnd);
    this.rowLines.splice(a, b - a);
    this.rowFindings.splice(a, b - a);
    if (delta !== 0) {
      for (let i = a; i < this.rowLines.length; i++) {
        const line = this.rowLines[i] + delta;
        this.rowLines[i] = line;
        for (const f of this.rowFindings[i]) {
          f.line = line;
          f.occurrences = [line];
        }
      }
    }
  }

  /** match lines [s, t) of the new document again */
  private rescan(s: number, t: number, getLine: (i: number) => string): void {
    const a = lowerBound(this.rowLines, s);
    const b = lowerBound(this.rowLines, t);
    const lines: number[] = [];
    const found: RawFinding[][] = [];
    const cache = new Map<number, string>();
    const line = (i: number): string => {
      let l = cache.get(i);
      if (l === undefined) {
        l = getLine(i);
        // as scanText: a line ends at '\n', without a final '\r'
        const nl = l.indexOf('\n');
        if (nl !== -1) l = l.slice(0, nl);
        if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
        cache.set(i, l);
      }
      return l;
    };
    const maxLen = this.maxLen;
    for (let i = s; i < t; i++) {
      const before = (n: number): string | undefined => {
        // scanText's context: up to n lines back, stopping at a line longer than maxLineLength
        for (let k = 1; k <= n; k++) {
          if (i - k < 0) return undefined;
          if (line(i - k).length > maxLen) return undefined;
        }
        return line(i - n);
      };
      const fs = this.matcher.matchLine(line(i), i, before, this.opts);
      if (fs.length) {
        lines.push(i);
        found.push(fs);
      }
    }
    this.rowLines.splice(a, b - a, ...lines);
    this.rowFindings.splice(a, b - a, ...found);
  }

  private fold(): RawFinding[] {
    const sink = new FindingSink(this.opts.maxFindings);
    for (const row of this.rowFindings) for (const f of row) sink.add({ ...f, occurrences: [f.line], count: 1 });
    this.folded = sink.findings;
    this.cut = sink.truncated;
    return this.folded;
  }
}

/** collects findings row by row (unfolded) */
class RowSink {
  lines: number[] = [];
  findings: RawFinding[][] = [];
  add(f: RawFinding): void {
    const n = this.lines.length;
    if (n && this.lines[n - 1] === f.line) this.findings[n - 1].push(f);
    else {
      this.lines.push(f.line);
      this.findings.push([f]);
    }
  }
}

function linesOf(src: LineSource): string[] {
  const out: string[] = new Array(src.lineCount);
  for (let i = 0; i < src.lineCount; i++) out[i] = src.getLine(i);
  return out;
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeRanges(r: [number, number][]): [number, number][] {
  const sorted = [...r].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, t] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], t);
    else out.push([s, t]);
  }
  return out;
}

