// Synthetic migration log: a realistic mix of MigrationWiz / Exchange (EWS, MRS) / IMAP / Graph / SharePoint
// noise — timestamps, ids, sizes, counts and status codes full of digits (401 inside numbers, "401 items"),
// host names, URLs, JSON — with rare authentication failures (one line in `authEvery`).
// Deterministic (seeded), written in blocks.  node bench/gen.mjs OUT SIZE_MB  |  node bench/gen.mjs OUT --lines N
import fs from 'node:fs';

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeLines(seed = 42) {
  const rnd = rng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const guid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const users = ['ann', 'bob', 'carla', 'dev', 'erin', 'farid', 'gus', 'hana'].map((u) => `${u}@contoso.com`);
  const noise = [
    () => `INFO  Migrated folder "Inbox/Projects/${int(900)}" for ${pick(users)}: ${int(5000)} items, ${int(90000)} KB`,
    () => `INFO  Batch ${int(40)} completed: ${int(900)} items migrated in ${int(9000)} ms`,
    () => `DEBUG EWS GetItem ${hex(8)} returned 200 OK (${int(400)} ms) server build 15.20.${int(9000)}.${int(99)}`,
    () => `WARN  HTTP 429 Too Many Requests from graph.microsoft.com, Suggested Backoff Time: ${int(60000)} ms`,
    () => `INFO  msg INBOX/${int(30000)} {${int(90000)}} copied to INBOX.Archive ETA: ${int(500)} s`,
    () => `DEBUG Request ${guid()} to https://outlook.office365.com/EWS/Exchange.asmx completed`,
    () => `INFO  Processing item ${int(1e6)} of mailbox ${pick(users)} (Calendar)`,
    () => `WARN  Item too large: message ${int(1e6)} exceeds the 150 MB limit, skipped`,
    () => `DEBUG GET https://graph.microsoft.com/v1.0/users/${guid()}/messages?$top=${int(999)} -> 200 (${int(900)} ms, ${int(65000)} bytes)`,
    () => `DEBUG {"requestId":"${guid()}","status":200,"durationMs":${int(5000)},"itemCount":${int(401)}}`,
    () => `INFO  SharePoint /sites/team${int(99)}/_api/web/lists/getbytitle('Documents')/items?$skiptoken=Paged%3dTRUE%26p_ID%3d${int(40100)} 200`,
    () => `DEBUG MRS ${guid()} copied ${int(4000)} of ${4000 + int(400)} items (${int(100)}%), ${int(10400)} MB transferred`,
    () => `TRACE imap> A${int(9999)} FETCH ${int(40000)}:${int(40000)} (UID RFC822.SIZE FLAGS) * OK`,
    () => `INFO  Export of ${pick(users)} via autodiscover-s.outlook.com succeeded, license E3, ${int(410)} folders`,
  ];
  const auth = [
    () => `ERROR Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.`,
    () => `ERROR AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: ${guid()}`,
    () => `ERROR Host2 failure: Error login on [outlook.office365.com] with user [${pick(users)}] auth [PLAIN]: 2 NO AUTHENTICATE failed.`,
    () => `ERROR Fatal error during migration process: The request failed. The remote server returned an error: (401) Unauthorized.`,
    () => `ERROR GET https://graph.microsoft.com/v1.0/users/${guid()}/mailFolders failed: 401 Unauthorized {"error":{"code":"InvalidAuthenticationToken"}}`,
    () => `ERROR Microsoft.SharePoint.Client.ServerUnauthorizedAccessException: Access denied. You do not have permission to perform this action or access this resource.`,
  ];
  let n = 0;
  const ts = Date.UTC(2026, 10, 1);
  return (authEvery = 2000) => {
    const t = new Date(ts + n * 37).toISOString().replace('T', ' ').slice(0, 23);
    const line = `${t} ${n % authEvery === authEvery - 1 ? pick(auth)() : pick(noise)()}`;
    n++;
    return line;
  };
}

/** Write a log of `sizeMb` MB (or exactly `lines` lines); returns { bytes, lines }. */
export function generate(out, sizeMb, authEvery = 2000, lines = Infinity) {
  const fd = fs.openSync(out, 'w');
  const target = sizeMb * 1024 * 1024;
  const next = makeLines();
  let written = 0;
  let n = 0;
  while (written < target && n < lines) {
    const block = [];
    for (let i = 0; i < 5000 && n < lines; i++, n++) block.push(next(authEvery));
    const buf = Buffer.from(block.join('\n') + '\n');
    fs.writeSync(fd, buf);
    written += buf.length;
  }
  fs.closeSync(fd);
  return { bytes: written, lines: n };
}

if (process.argv[1] && process.argv[1].endsWith('gen.mjs')) {
  const out = process.argv[2] ?? 'bench/data/100mb.log';
  const r = process.argv[3] === '--lines' ? generate(out, Infinity, 2000, Number(process.argv[4])) : generate(out, Number(process.argv[3] ?? 100));
  console.log(`${r.lines} lines, ${(r.bytes / 1048576).toFixed(1)} MB`);
}
