// Nothing leaves the machine: the shipped bundles make no network calls and contain no URLs but documentation links.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLES = ['dist/extension.js', 'dist/cli.js'];
// documentation and reference hosts the explanations link to; anything else is suspicious
const DOC_HOSTS = /^(learn\.microsoft\.com|docs\.microsoft\.com|help\.bittitan\.com|help\.cloudiway\.com|kb\.probax\.io|www\.rfc-editor\.org|datatracker\.ietf\.org|login\.microsoftonline\.com\/error|github\.com|json\.schemastore\.org|keepachangelog\.com|semver\.org|techcommunity\.microsoft\.com|support\.microsoft\.com|imapsync\.lamiral\.info|rclone\.org|aka\.ms|support\.quest\.com|developer\.microsoft\.com|www\.w3\.org|eemeli\.org|yaml\.org|mc\.merill\.net|admin\.microsoft\.com|entra\.microsoft\.com|portal\.azure\.com|outlook\.office365\.com|graph\.microsoft\.com|portal\.office\.com|abraunegg\.github\.io|[a-z0-9.-]*\.?example\.(com|org))/;

const APIS = [/\bfetch\s*\(/, /\bXMLHttpRequest\b/, /\bnew WebSocket\b/, /require\(["']node:(?:https?|net|tls|dgram|http2)["']\)/, /require\(["'](?:https?|net|tls|dgram|http2)["']\)/, /\bnavigator\.sendBeacon\b/];

function networkProblems(src: string): string[] {
  const out = APIS.filter((api) => api.test(src)).map((a) => String(a));
  const urls = [...src.matchAll(/https?:\/\/([^\s"'`)<>\\]+)/g)].map((m) => m[1]);
  out.push(...new Set(urls.filter((u) => !DOC_HOSTS.test(u))));
  return out;
}

describe('no network, no telemetry', () => {
  it('the check itself catches a fetch, a socket and a tracking URL', () => {
    assert.equal(networkProblems('const ok = "https://learn.microsoft.com/x";').length, 0);
    assert.ok(networkProblems('fetch("https://telemetry.example.net/t")').length >= 2);
    assert.ok(networkProblems('const h=require("https");').length >= 1);
  });
  for (const b of BUNDLES) {
    it(`${b} makes no network calls and holds only documentation URLs`, function () {
      const file = path.join(ROOT, b);
      if (!fs.existsSync(file)) this.skip();
      assert.deepEqual(networkProblems(fs.readFileSync(file, 'utf8')), []);
    });
  }
});
