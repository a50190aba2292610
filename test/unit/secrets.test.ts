import * as assert from 'node:assert/strict';
import { findSecrets, maskSecrets, MASK } from '../../src/core/secrets';
import { builtinEngine } from './helpers';

describe('secrets', () => {
  const cases: [string, string][] = [
    ['client_secret=abc8Q~Zx1yTT7pqrstuvwxyzABCDEFGHIJKLMNO12&grant_type=client_credentials', 'abc8Q~Zx1yTT7pqrstuvwxyzABCDEFGHIJKLMNO12'],
    ['"client_secret":"s3cr3t-value-123"', 's3cr3t-value-123'],
    ['Password=Summer2026!', 'Summer2026!'],
    ["pwd: 'hunter22'", 'hunter22'],
    ['Authorization: Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0xxxxxx.sigsigsigsig', 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0xxxxxx.sigsigsigsig'],
    ['Authorization: Basic YWRtaW46cGFzc3dvcmQ=', 'YWRtaW46cGFzc3dvcmQ='],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U in log', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['https://acct.blob.core.windows.net/c/f?sv=2021-08-06&se=2026&sig=abcDEF123%2Bxyz%3D', 'abcDEF123%2Bxyz%3D'],
    ['refresh_token=0.AXkAabcdefghijklmnopqrstuvwxyz', '0.AXkAabcdefghijklmnopqrstuvwxyz'],
    ['imap://migrator:Pa55w0rd@imap.example.com:993', 'Pa55w0rd'],
    ['app password: abcdefghijklmnop', 'abcdefghijklmnop'],
  ];
  for (const [line, secret] of cases) {
    it(`masks ${line.slice(0, 40)}`, () => {
      const m = maskSecrets(line);
      assert.ok(!m.includes(secret), m);
      assert.ok(m.includes(MASK), m);
    });
  }
  it('leaves ordinary log lines alone', () => {
    for (const l of ['The remote server returned an error: (401) Unauthorized.', 'AADSTS50126: Error validating credentials due to invalid username or password.', 'Password=xxxxxxxx', 'password: <your password>', 'Token refresh skipped']) {
      assert.equal(maskSecrets(l), l);
      assert.equal(findSecrets(l).length, 0, l);
    }
  });
  it('never echoes a secret through a finding (messages, steps, captures)', () => {
    const line = "Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: client_secret=abc8Q~Zx1yTT7pqrstuvwxyzABCDEFGHIJKLMNO12";
    const fs = builtinEngine().scan(line);
    assert.ok(fs.length >= 1);
    const all = JSON.stringify(fs.map((f) => ({ m: f.message, c: f.causes, cap: f.captures, t: f.title })));
    assert.ok(!all.includes('abc8Q~Zx1yTT7pqrstuvwxyzABCDEFGHIJKLMNO12'));
  });
});
