#!/usr/bin/env node
// Mechanical disjointness check for holdout3 against test/corpus/*.tsv, holdout/*.tsv, holdout2/*.tsv.
// Usage: node check-disjoint.mjs [--write]   (--write drops failing rows from holdout3/*.tsv in place)
// A row fails when (a) one of its source keys (URL without trailing slash / "#..." fragment kept,
// or "owner/repo path") is a source key of an earlier set, or (b) its line equals or nearly equals
// an earlier line: lower-cased, blanks collapsed; equal, or one contains the other with the shorter
// at least 80% of the longer's length. Also reports duplicates inside holdout3 itself.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';
const here = path.dirname(url.fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '..');
const earlier = [corpus, path.join(corpus, 'holdout'), path.join(corpus, 'holdout2')]
  .flatMap(d => ['positives.tsv', 'negatives.tsv'].map(f => path.join(d, f)));
const norm = s => s.toLowerCase().replace(/\s+/g, ' ').trim();
function sourceKeys(src) {
  const keys = new Set();
  for (const m of src.matchAll(/https?:\/\/[^\s)]+/g)) keys.add(m[0].replace(/\/+$/, '').replace(/^http:/, 'https:'));
  const pre = src.replace(/\s*\(https?:[^)]*\)\s*/g, ' ').replace(/\s*\[.*$/, '').trim();
  if (!/^https?:/.test(pre) && pre) {
    const m = pre.match(/^([\w.-]+\/[\w.-]+)\s+(\S+)/);
    if (m) keys.add(`${m[1]} ${m[2]}`.toLowerCase()); else keys.add(pre.toLowerCase());
  }
  return [...keys];
}
function readTsv(f) {
  const rows = fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);
  const header = rows.shift().split('\t');
  return { header, rows: rows.map(r => r.split('\t')) };
}
const oldSources = new Set(), oldLines = [];
for (const f of earlier) {
  const { header, rows } = readTsv(f);
  const si = header.indexOf('source');
  for (const r of rows) { sourceKeys(r[si] || '').forEach(k => oldSources.add(k)); oldLines.push(norm(r[0])); }
}
const oldLineSet = new Set(oldLines);
function nearOld(l) {
  if (oldLineSet.has(l)) return 'equal';
  for (const o of oldLines) {
    const [a, b] = l.length <= o.length ? [l, o] : [o, l];
    if (a.length >= 0.8 * b.length && b.includes(a)) return 'near: ' + o.slice(0, 60);
  }
  return null;
}
const write = process.argv.includes('--write');
let total = 0, dropped = 0;
const seen = new Set();
const allSources = new Set();
for (const name of ['positives.tsv', 'negatives.tsv']) {
  const f = path.join(here, name);
  if (!fs.existsSync(f)) continue;
  const { header, rows } = readTsv(f);
  const si = header.indexOf('source');
  const keep = [];
  rows.forEach((r, i) => {
    total++;
    const why = [];
    if (r.length !== header.length) why.push(`has ${r.length} columns, expected ${header.length}`);
    const keys = sourceKeys(r[si] || '');
    if (!keys.length) why.push('no source');
    for (const k of keys) if (oldSources.has(k)) why.push('source used earlier: ' + k);
    const l = norm(r[0]);
    const n = nearOld(l); if (n) why.push('line ' + n);
    if (seen.has(l)) why.push('duplicate inside holdout3');
    seen.add(l);
    if (why.length) { dropped++; console.log(`${name}:${i + 2}\t${why.join('; ')}\t${r[0].slice(0, 80)}`); }
    else { keep.push(r); keys.forEach(k => allSources.add(k)); }
  });
  if (write) fs.writeFileSync(f, [header, ...keep].map(r => r.join('\t')).join('\n') + '\n');
}
console.log(`${total} rows checked, ${dropped} fail${write ? ' (dropped)' : ''}; ${allSources.size} distinct source keys in passing rows`);
