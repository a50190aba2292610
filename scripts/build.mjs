// Bundles the CLI and the extension with esbuild. `--watch` rebuilds on change.
//
// Bundle size: the `yaml` library is most of the code, and it is needed only for workspace rule packs and YAML
// project configs. So:
//  - the built-in packs are compiled at build time into dist/rules.json (src/core/rules/precompiled.ts), which the
//    engine uses when the shipped YAML texts are exactly the ones it was made from;
//  - `yaml` goes into its own bundle, dist/yaml.js, and dist/cli.js / dist/extension.js import a stand-in that
//    require()s it on first use (LAZY_YAML below).
// dist/rules.json and dist/yaml.js ship next to the bundles.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, minify: true, legalComments: 'none', logLevel: 'warning' };

/** A module standing in for `yaml`: every export forwards to require('./yaml.js'), loaded on first use. */
function lazyYamlSource() {
  const real = createRequire(import.meta.url)('yaml');
  const lines = [
    'let m;',
    "const y = () => m || (m = require('./yaml.js'));",
    'const fn = (n) => new Proxy(function () {}, {',
    '  apply: (_t, self, args) => Reflect.apply(y()[n], self, args),',
    '  construct: (_t, args, nt) => Reflect.construct(y()[n], args, nt),',
    '  get: (_t, p) => y()[n][p],',
    '  has: (_t, p) => p in y()[n],',
    '});',
    'const obj = (n) => new Proxy({}, { get: (_t, p) => y()[n][p], has: (_t, p) => p in y()[n], ownKeys: () => Reflect.ownKeys(y()[n]), getOwnPropertyDescriptor: (_t, p) => Reflect.getOwnPropertyDescriptor(y()[n], p) });',
  ];
  for (const k of Object.keys(real)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(k) || k === 'default') continue;
    lines.push(`export const ${k} = ${typeof real[k] === 'function' ? 'fn' : 'obj'}(${JSON.stringify(k)});`);
  }
  lines.push("export default new Proxy({}, { get: (_t, p) => y()[p], has: (_t, p) => p in y() });");
  return lines.join('\n');
}
const LAZY_YAML = {
  name: 'lazy-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'lazy-yaml' }));
    build.onResolve({ filter: /^\.\/yaml\.js$/ }, (a) => (a.namespace === 'lazy-yaml' ? { path: './yaml.js', external: true } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({ contents: lazyYamlSource(), loader: 'js', resolveDir: '.' }));
  },
};

const targets = [
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [LAZY_YAML] },
  { ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.', loader: 'js' }, outfile: 'dist/yaml.js', format: 'cjs' },
];
if (existsSync('src/vscode/extension.ts')) {
  targets.push({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], format: 'cjs', plugins: [LAZY_YAML] });
}
if (existsSync('test/unit')) {
  // unit tests are compiled (not minified) so that mocha runs plain JS with readable stacks
  const { readdirSync } = await import('node:fs');
  const files = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => `test/unit/${f}`);
  if (files.length) targets.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: files, outdir: 'out/test/unit', external: ['mocha', 'ajv', 'yaml'] });
}
if (existsSync('test/fuzz/run.ts')) {
  // the fuzz runner (`npm run fuzz`): one file, also the code of the child process that runs each target
  targets.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: ['test/fuzz/run.ts'], outfile: 'out/test/fuzz/run.js', external: ['fast-check', 'mocha'] });
}
if (existsSync('test/integration/suite')) {
  // the real-host suite: one bundle per test file plus its index, run by mocha inside the extension host
  const { readdirSync } = await import('node:fs');
  const files = readdirSync('test/integration/suite').filter((f) => f.endsWith('.ts')).map((f) => `test/integration/suite/${f}`);
  if (files.length) targets.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: files, outdir: 'out/test/integration/suite', external: ['vscode', 'mocha'] });
}
/** dist/rules.json: the built-in packs, loaded once here (see src/core/rules/precompiled.ts) */
async function precompileRules() {
  mkdirSync('out/build', { recursive: true });
  await esbuild.build({
    ...common,
    minify: false,
    stdin: {
      contents: "import { readBuiltinPacks } from './src/node/files'; import { precompile } from './src/core/rules/precompiled'; const { packs, vocabulary } = readBuiltinPacks(); module.exports = precompile(packs, vocabulary);",
      resolveDir: '.',
      loader: 'ts',
    },
    outfile: 'out/build/precompile.js',
    format: 'cjs',
  });
  const require = createRequire(import.meta.url);
  const file = new URL('../out/build/precompile.js', import.meta.url).pathname;
  delete require.cache[file];
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/rules.json', JSON.stringify(require(file)));
}

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all([...targets.map((t) => esbuild.build(t)), precompileRules()]);
}
