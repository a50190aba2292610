// Quick pack check for rule authors: schema, cause ids, regex compilation, a naive example run per rule, and then
// (after `npm run build`) every example through the whole engine with `migration-doctor rules --test`, where another
// rule winning the line or a wrong side / cause ranking shows up too.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';

const dir = process.argv[2] ?? 'rules';
const schema = JSON.parse(readFileSync(join('rules/schema/rules.schema.json'), 'utf8'));
const causes = new Set(Object.keys(YAML.parse(readFileSync('rules/causes.yaml', 'utf8'))));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
let bad = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'causes.yaml')) {
  const doc = YAML.parse(readFileSync(join(dir, f), 'utf8'));
  if (!validate(doc)) { bad++; console.log(`${f}: schema: ${JSON.stringify(validate.errors.slice(0, 5), null, 1)}`); continue; }
  const rules = Array.isArray(doc) ? doc : doc.rules;
  for (const r of rules) {
    for (const c of r.causes) if (!causes.has(c.id)) { bad++; console.log(`${f}: ${r.id}: unknown cause ${c.id}`); }
    const flags = r.caseSensitive ? '' : 'i';
    let res;
    try { res = r.patterns.map((p) => new RegExp(p, flags)); } catch (e) { bad++; console.log(`${f}: ${r.id}: ${e.message}`); continue; }
    const ex = (r.exclude ?? []).map((p) => new RegExp(p, flags));
    const kw = r.keywords ?? [];
    const hit = (t) => { const line = t.split(/\r?\n/).pop(); const low = line.toLowerCase(); return (kw.length === 0 || kw.some((k) => low.includes(k))) && res.some((x) => x.test(line)) && !ex.some((x) => x.test(line)); };
    for (const e of r.examples?.match ?? []) if (!hit(typeof e === 'string' ? e : e.text)) { bad++; console.log(`${f}: ${r.id}: match example does not match: ${JSON.stringify(e).slice(0, 160)}`); }
    for (const e of r.examples?.noMatch ?? []) if (hit(typeof e === 'string' ? e : e.text)) { bad++; console.log(`${f}: ${r.id}: noMatch example matches: ${JSON.stringify(e).slice(0, 160)}`); }
  }
}
if (dir === 'rules' && existsSync('dist/cli.js')) {
  // the CLI reads rules/*.yaml (dist/rules.json is only used for the very texts it was made from)
  const r = spawnSync(process.execPath, ['dist/cli.js', 'rules', '--test'], { encoding: 'utf8' });
  if (r.status !== 0) {
    bad++;
    process.stdout.write(r.stdout + r.stderr);
  }
} else if (dir === 'rules') console.log('(run `npm run build` first to check the examples in the whole engine too)');
console.log(bad ? `${bad} problem(s)` : 'packs OK');
process.exit(bad ? 1 : 0);
