// YAML plumbing shared by the config parser and the rule loader: exact positions, and a parse that never lets
// deeply nested input reach the (recursive) composer, whose stack exhaustion can take the process down.
import { Composer, Document, DocumentOptions, ParseOptions, Parser, SchemaOptions, YAMLParseError, CST, isMap, isPair, isScalar, isSeq } from 'yaml';

/** Deepest collection nesting handed to the composer (real packs and configs nest fewer than 10 levels). */
export const MAX_YAML_DEPTH = 100;

/** Offsets -> 0-based line and column, by '\n' (the yaml LineCounter misses some line breaks). */
export class TextPositions {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  /** The position of an offset, clamped into the text; the column never points past its line (CR excluded). */
  at(offset: number | undefined): { line: number; col: number } {
    const off = Math.max(0, Math.min(this.text.length, Number.isFinite(offset) ? Math.floor(offset!) : 0));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo];
    let end = lo + 1 < this.starts.length ? this.starts[lo + 1] - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return { line: lo, col: Math.min(off - start, end - start) };
  }
}

/** Offset of the first collection nested deeper than `max` levels, or -1. Iterative: safe on any depth. */
function tooDeep(tokens: CST.Token[], max: number): number {
  const stack: [unknown, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, d] = stack.pop()!;
    const tok = t as { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] } | undefined;
    if (!tok || typeof tok !== 'object') continue;
    if (tok.type === 'document') stack.push([tok.value, d]);
    else if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (d + 1 > max) return tok.offset ?? 0;
      for (const it of tok.items ?? []) {
        if (it.key) stack.push([it.key, d + 1]);
        if (it.value) stack.push([it.value, d + 1]);
      }
    }
  }
  return -1;
}

/**
 * `parseDocument` with a depth guard: input nested deeper than MAX_YAML_DEPTH yields an empty document with one
 * error at the offending collection (instead of a stack overflow inside the composer or a later toJSON).
 */
export function parseYamlDocument(text: string, options: ParseOptions & DocumentOptions & SchemaOptions = {}): Document.Parsed {
  const tokens = [...new Parser().parse(text)];
  const deep = tooDeep(tokens, MAX_YAML_DEPTH);
  const composer = new Composer(options);
  if (deep >= 0) {
    const doc = [...composer.compose([], true, text.length)][0];
    doc.errors.push(new YAMLParseError([deep, deep + 1], 'RESOURCE_EXHAUSTION', `nested more than ${MAX_YAML_DEPTH} levels deep`));
    return doc;
  }
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc!;
}

/**
 * The first mapping key under `node` that is not a scalar (`? [a]: b`, `? ? x`), or undefined. toJSON turns such
 * keys into strings, in time and size exponential in their nesting.
 */
export function complexKey(node: unknown): unknown {
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n) || isSeq(n)) stack.push(...(n.items as unknown[]));
    else if (isPair(n)) {
      if (n.key !== null && n.key !== undefined && !isScalar(n.key)) return n.key;
      stack.push(n.value);
    }
  }
  return undefined;
}
