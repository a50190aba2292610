// Node-side helpers shared by the CLI and the desktop extension: built-in packs, decoding, config discovery.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackSource } from '../core/rules/loader';
import { PrecompiledRules, setPrecompiledRules } from '../core/rules/precompiled';
import { isConfigName, isYamlConfigName } from '../core/config/parse';

// The built-in packs compiled at build time (dist/rules.json, next to the bundle): the engine uses them for
// the packs whose texts they were made from, and skips parsing YAML. Read on the first rule load.
setPrecompiledRules(
  () => {
    const file = path.join(__dirname, 'rules.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PrecompiledRules) : undefined;
  },
  (s) => createHash('sha1').update(s).digest('base64'),
);

/** The folder holding the built-in packs (`rules/` next to `dist/`, or the repo's when run from sources). */
export function builtinRulesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'rules');
    if (fs.existsSync(path.join(cand, 'causes.yaml'))) return cand;
    dir = path.dirname(dir);
  }
  throw new Error('built-in rule packs not found');
}

/** The built-in packs and the cause vocabulary from `dir` (default: the one next to the bundle). */
export function readBuiltinPacks(dir = builtinRulesDir()): { packs: PackSource[]; vocabulary: string } {
  const packs = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'causes.yaml')
    .sort()
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), 'utf8'), trusted: true }));
  return { packs, vocabulary: fs.readFileSync(path.join(dir, 'causes.yaml'), 'utf8') };
}

/** User packs from files or folders (every *.yaml / *.yml inside a folder). Unreadable paths are reported. */
export function readUserPacks(paths: string[], errors: string[]): PackSource[] {
  const out: PackSource[] = [];
  for (const p of paths) {
    try {
      const st = fs.statSync(p);
      const files = st.isDirectory() ? fs.readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(p, f)) : [p];
      for (const f of files) out.push({ file: f, text: decode(fs.readFileSync(f)).text, trusted: false });
    } catch (e) {
      errors.push(`${p}: cannot read rule pack (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return out;
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Sniff {
  encoding: Encoding;
  bom: number;
  binary: boolean;
}

/** Look at the first bytes: BOMs, UTF-16 without BOM (every other byte NUL), binary (NULs otherwise). */
export function sniffBytes(head: Uint8Array): Sniff {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3, binary: false };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, binary: false };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, binary: false };
  const n = Math.min(head.length, 8192);
  let evenNul = 0;
  let oddNul = 0;
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      if (i % 2) oddNul++;
      else evenNul++;
    } else if (b < 9 || (b > 13 && b < 32 && b !== 27)) ctrl++;
  }
  const half = n / 2;
  if (n >= 4 && oddNul > half * 0.6 && evenNul < half * 0.1) return { encoding: 'utf-16le', bom: 0, binary: false };
  if (n >= 4 && evenNul > half * 0.6 && oddNul < half * 0.1) return { encoding: 'utf-16be', bom: 0, binary: false };
  return { encoding: 'utf-8', bom: 0, binary: evenNul + oddNul > 0 || ctrl > n * 0.1 };
}

export function decode(buf: Uint8Array): { text: string; sniff: Sniff } {
  const sniff = sniffBytes(buf.subarray(0, 8192));
  const body = buf.subarray(sniff.bom);
  return { text: new TextDecoder(sniff.encoding).decode(body), sniff };
}

/** Log files in a folder, recursively (*.log, *.txt, *.csv, and config files). */
export function walkInputs(root: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = path.join(root, e.name);
    if (e.isDirectory()) walkInputs(p, out);
    else if (e.isFile() && (/\.(log|txt|csv)$/i.test(e.name) || isConfigName(e.name) || /\.supportoptions$/i.test(e.name))) out.push(p);
  }
  return out;
}

/** The config tied to a log: the nearest config file in its folder or above (stops after a folder with .git, or at `stopAt`). */
export function findConfigFor(logFile: string, stopAt?: string): string | undefined {
  let dir = path.dirname(path.resolve(logFile));
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (let i = 0; i < 32; i++) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      /* unreadable folder: go on up */
    }
    const cands = names.filter((n) => isConfigName(n)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (cands.length) return path.join(dir, cands[0]);
    if (names.includes('.git') || (stop && dir === stop)) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

function rank(name: string): number {
  if (/^migration-project\.ya?ml$/i.test(name)) return 0;
  if (isYamlConfigName(name)) return 1;
  return 2;
}
