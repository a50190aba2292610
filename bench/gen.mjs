// Synthetic migration log: a realistic mix of MigrationWiz / Exchange / IMAP / Graph noise with rare auth lines.
// Deterministic (seeded), written in blocks: node bench/gen.mjs OUT SIZE_MB
import fs from 'node:fs';

let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const users = ['ann', 'bob', 'carla', 'dev', 'erin', 'farid', 'gus', 'hana'].map((u) => `${u}@contoso.com`);
const noise = [
  () => `INFO  Migrated folder "Inbox/Projects/${Math.floor(rnd() * 900)}" for ${pick(users)}: ${Math.floor(rnd() * 5000)} items, ${Math.floor(rnd() * 90000)} KB`,
  () => `INFO  Batch ${Math.floor(rnd() * 40)} completed: ${Math.floor(rnd() * 900)} items migrated in ${Math.floor(rnd() * 9000)} ms`,
  () => `DEBUG EWS GetItem ${Math.floor(rnd() * 1e9).toString(16)} returned 200 OK (${Math.floor(rnd() * 400)} ms) server build 15.20.${Math.floor(rnd() * 9000)}.${Math.floor(rnd() * 99)}`,
  () => `WARN  HTTP 429 Too Many Requests from graph.microsoft.com, Suggested Backoff Time: ${Math.floor(rnd() * 60000)} ms`,
  () => `INFO  msg INBOX/${Math.floor(rnd() * 30000)} {${Math.floor(rnd() * 90000)}} copied to INBOX.Archive ETA: ${Math.floor(rnd() * 500)} s`,
  () => `DEBUG Request ${crypto.randomUUID?.() ?? 'id'} to https://outlook.office365.com/EWS/Exchange.asmx completed`,
  () => `INFO  Processing item ${Math.floor(rnd() * 1e6)} of mailbox ${pick(users)} (Calendar)`,
  () => `WARN  Item too large: message ${Math.floor(rnd() * 1e6)} exceeds the 150 MB limit, skipped`,
];
const auth = [
  () => `ERROR Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.`,
  () => `ERROR AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: ${Math.floor(rnd() * 1e9)}`,
  () => `ERROR Host2 failure: Error login on [outlook.office365.com] with user [${pick(users)}] auth [PLAIN]: 2 NO AUTHENTICATE failed.`,
  () => `ERROR Fatal error during migration process: The request failed. The remote server returned an error: (401) Unauthorized.`,
];
export function generate(out, sizeMb, authEvery = 2000) {
  const fd = fs.openSync(out, 'w');
  const target = sizeMb * 1024 * 1024;
  let written = 0;
  let n = 0;
  const ts = Date.UTC(2026, 10, 1);
  while (written < target) {
    const lines = [];
    for (let i = 0; i < 5000; i++, n++) {
      const t = new Date(ts + n * 37).toISOString().replace('T', ' ').slice(0, 19);
      lines.push(`${t} ${n % authEvery === authEvery - 1 ? pick(auth)() : pick(noise)()}`);
    }
    const buf = Buffer.from(lines.join('\n') + '\n');
    fs.writeSync(fd, buf);
    written += buf.length;
  }
  fs.closeSync(fd);
  return { bytes: written, lines: n };
}
if (process.argv[1] && process.argv[1].endsWith('gen.mjs')) {
  const r = generate(process.argv[2] ?? 'bench/data/100mb.log', Number(process.argv[3] ?? 100));
  console.log(`${r.lines} lines, ${(r.bytes / 1048576).toFixed(1)} MB`);
}
