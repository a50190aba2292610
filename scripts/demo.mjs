// `npm run demo`: the human report over samples/. Findings are the point here, so exit code 1 ("error
// findings") is success for the demo; only 2 (usage / unreadable input) fails it.
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['dist/cli.js', 'scan', 'samples', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status === 1 ? 0 : r.status ?? 2);
