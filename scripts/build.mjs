// Bundles the CLI and the extension with esbuild. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, minify: true, legalComments: 'none', logLevel: 'warning' };
const targets = [
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('src/vscode/extension.ts')) {
  targets.push({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], format: 'cjs' });
}
if (existsSync('test/unit')) {
  // unit tests are compiled (not minified) so that mocha runs plain JS with readable stacks
  const { readdirSync } = await import('node:fs');
  const files = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => `test/unit/${f}`);
  if (files.length) targets.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: files, outdir: 'out/test/unit', external: ['mocha', 'ajv', 'yaml'] });
}
if (existsSync('test/integration/suite')) {
  // the real-host suite: one bundle per test file plus its index, run by mocha inside the extension host
  const { readdirSync } = await import('node:fs');
  const files = readdirSync('test/integration/suite').filter((f) => f.endsWith('.ts')).map((f) => `test/integration/suite/${f}`);
  if (files.length) targets.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: files, outdir: 'out/test/integration/suite', external: ['vscode', 'mocha'] });
}
if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
