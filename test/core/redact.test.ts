import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { HttpExchange } from '../../src/core/finding.js';
import {
  REDACTED,
  isSecretName,
  redactBody,
  redactExchange,
  redactHeaders,
  redactJsonText,
  redactUrl,
  shellQuote,
  toCurl,
} from '../../src/core/redact.js';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

test('Authorization keeps the scheme word and masks the credential, in any header case', () => {
  const out = redactHeaders({
    Authorization: 'Bearer abc.def',
    'PROXY-AUTHORIZATION': 'Basic dXNlcjpwYXNz',
    authorization: 'opaque-token-without-scheme',
  });
  assert.equal(out['Authorization'], `Bearer ${REDACTED}`);
  assert.equal(out['PROXY-AUTHORIZATION'], `Basic ${REDACTED}`);
  assert.equal(out['authorization'], REDACTED);
});

test('Digest credentials with quoted parameters are masked whole after the scheme', () => {
  const out = redactHeaders({
    Authorization: 'Digest username="a", response="6629fae49393a05397450978507c4ef1"',
  });
  assert.equal(out['Authorization'], `Digest ${REDACTED}`);
});

test('Cookie keeps names, Set-Cookie keeps attributes, secrets are gone', () => {
  const out = redactHeaders({
    Cookie: 'sid=abc123; theme=dark',
    'Set-Cookie': 'session=s3cr3t; Path=/; HttpOnly; SameSite=Lax',
  });
  assert.equal(out['Cookie'], `sid=${REDACTED}; theme=${REDACTED}`);
  assert.equal(out['Set-Cookie'], `session=${REDACTED}; Path=/; HttpOnly; SameSite=Lax`);
  assert.doesNotMatch(JSON.stringify(out), /abc123|s3cr3t/);
});

test('repeated headers given as arrays are each redacted and stay arrays', () => {
  const out = redactHeaders({
    'set-cookie': ['a=1; Secure', 'b=2'],
    accept: ['text/html', 'application/json'],
  });
  assert.deepEqual(out['set-cookie'], [`a=${REDACTED}; Secure`, `b=${REDACTED}`]);
  assert.deepEqual(out['accept'], ['text/html', 'application/json']);
});

test('Set-Cookie headers joined by commas (fetch) are each redacted; Expires dates stay whole', () => {
  const out = redactHeaders({
    'set-cookie': 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure, b=2; HttpOnly,c=3',
  });
  assert.equal(
    out['set-cookie'],
    `a=${REDACTED}; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure, b=${REDACTED}; HttpOnly, c=${REDACTED}`,
  );
});

test('Set-Cookie lines joined with newlines are each redacted', () => {
  const out = redactHeaders({ 'Set-Cookie': 'a=1; Secure\nb=2; HttpOnly' });
  assert.equal(out['Set-Cookie'], `a=${REDACTED}; Secure\nb=${REDACTED}; HttpOnly`);
});

test('headers named like keys, tokens, secrets and sessions are masked; ordinary ones are kept', () => {
  const headers = {
    'X-API-Key': 'k1',
    'x-api-key': 'k2',
    'X-Auth-Token': 'k3',
    'X-Amz-Security-Token': 'k4',
    'X-Client-Secret': 'k5',
    'X-Session-Id': 'k6',
    'X-CSRF-Token': 'k7',
    Apikey: 'k8',
    'Content-Type': 'application/json',
    'Keep-Alive': 'timeout=5',
    Server: 'nginx',
  };
  const out = redactHeaders(headers);
  for (const name of Object.keys(headers).slice(0, 8))
    assert.equal(out[name as keyof typeof out], REDACTED, name);
  assert.equal(out['Content-Type'], 'application/json');
  assert.equal(out['Keep-Alive'], 'timeout=5');
  assert.equal(out['Server'], 'nginx');
});

test('credential-shaped values are masked in any header, and URLs in Location lose secret params', () => {
  const out = redactHeaders({
    'X-Debug': `user token was ${JWT}`,
    Location: 'https://app.example/cb?code=abc&state=xyz',
  });
  assert.equal(out['X-Debug'], `user token was ${REDACTED}`);
  assert.equal(out['Location'], `https://app.example/cb?code=${REDACTED}&state=xyz`);
});

test('name matching is by word, not by accident', () => {
  for (const name of [
    'password',
    'new_password',
    'clientSecret',
    'api_key',
    'x-api-key',
    'key',
    'private_key',
    'refresh_token',
    'pin',
    'accessKey',
    'awsSecretAccessKey',
    'pass',
    'authorization',
    'X-Auth',
  ])
    assert.ok(isSecretName(name), name);
  for (const name of [
    'keyboard',
    'monkey',
    'monkeyName',
    'keyboardLayout',
    'name',
    'author',
    'description',
    'turkey',
    'spinner',
    'passenger',
    'compass',
  ])
    assert.equal(isSecretName(name), false, name);
});

test('redactUrl masks secret query params and keeps the rest byte for byte', () => {
  assert.equal(
    redactUrl('https://api.example/v1/items?q=a%20b&token=t1&access_token=t2&api_key=t3&page=2'),
    `https://api.example/v1/items?q=a%20b&token=${REDACTED}&access_token=${REDACTED}&api_key=${REDACTED}&page=2`,
  );
  assert.equal(
    redactUrl('/cb?code=x&sig=y&Password=z&KEY=w'),
    `/cb?code=${REDACTED}&sig=${REDACTED}&Password=${REDACTED}&KEY=${REDACTED}`,
  );
  // Percent-encoded parameter names are decoded before matching.
  assert.equal(redactUrl('/x?api%5Fkey=v'), `/x?api%5Fkey=${REDACTED}`);
});

test('redactUrl masks userinfo passwords, fragment tokens and signed-URL parts', () => {
  assert.equal(
    redactUrl('https://admin:hunter2@db.example:8443/p'),
    `https://admin:${REDACTED}@db.example:8443/p`,
  );
  assert.equal(redactUrl('https://onlyuser@h.example/'), 'https://onlyuser@h.example/');
  assert.equal(
    redactUrl('https://app.example/#access_token=abc&token_type=bearer'),
    `https://app.example/#access_token=${REDACTED}&token_type=${REDACTED}`,
  );
  assert.equal(
    redactUrl('https://b.s3.example/o?X-Amz-Credential=AK%2F1&X-Amz-Signature=ff&x=1'),
    `https://b.s3.example/o?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&x=1`,
  );
  assert.equal(redactUrl(`https://h.example/reset/${JWT}`), `https://h.example/reset/${REDACTED}`);
});

test('redactUrl masks secret matrix parameters in the path', () => {
  assert.equal(
    redactUrl('https://shop.example/cart;jsessionid=ABC123;lang=en/items?x=1'),
    `https://shop.example/cart;jsessionid=${REDACTED};lang=en/items?x=1`,
  );
});

test('redactUrl never throws on malformed input', () => {
  for (const bad of ['', '::::', 'http://[::1', '%E0%A4%A?token=%', '?', '#', '&&==&&'])
    assert.equal(typeof redactUrl(bad), 'string');
  assert.equal(redactUrl('%E0%A4%A?token=%'), `%E0%A4%A?token=${REDACTED}`);
});

test('redactBody masks JSON values under secret keys in place, keeping formatting and big numbers', () => {
  const body =
    '{\n  "user": "ann",\n  "password": "hunter2",\n  "id": 12345678901234567890,\n  "nested": {"api_key": 42, "ok": true}\n}';
  const out = redactBody(body, 'application/json');
  assert.equal(
    out,
    `{\n  "user": "ann",\n  "password": "${REDACTED}",\n  "id": 12345678901234567890,\n  "nested": {"api_key": "${REDACTED}", "ok": true}\n}`,
  );
  assert.doesNotThrow(() => JSON.parse(out));
});

test('redactBody masks everything nested under a secret key, and keys with escapes', () => {
  const out = redactBody(
    '[{"credentials":{"user":"a","pass":["b",1,null]}},{"pass\\u0077ord":"x"}]',
    'application/json',
  );
  assert.deepEqual(JSON.parse(out), [
    { credentials: { user: REDACTED, pass: [REDACTED, REDACTED, null] } },
    { password: REDACTED },
  ]);
});

test('redactBody finds credential patterns inside JSON string values and plain text', () => {
  const keys = [
    'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
    'AKIAIOSFODNN7EXAMPLE',
    `ghp_${'a'.repeat(36)}`,
    JWT,
  ];
  for (const key of keys) {
    assert.doesNotMatch(
      redactBody(JSON.stringify({ note: `found ${key} here` }), 'application/json'),
      new RegExp(key.slice(0, 12)),
    );
    assert.equal(redactBody(`prefix ${key} suffix`, 'text/plain'), `prefix ${REDACTED} suffix`);
  }
  const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
  assert.equal(redactBody(`k=${pem}`, 'text/plain'), `k=${REDACTED}`);
});

test('redactBody handles form bodies and key=value text that is not JSON', () => {
  assert.equal(
    redactBody('user=a&password=p%20w&x=1', 'application/x-www-form-urlencoded'),
    `user=a&password=${REDACTED}&x=1`,
  );
  assert.doesNotMatch(redactBody('{"password": "trunc', 'application/json'), /trunc/);
  assert.equal(
    redactBody("db_password: 'x y'\nname: ok", 'text/yaml'),
    `db_password: '${REDACTED}'\nname: ok`,
  );
});

test('redactJsonText handles deep nesting without recursion, masking under a secret key at any depth', () => {
  const depth = 20000;
  const deep = `${'{"a":'.repeat(depth)}{"token":"x","n":1}${'}'.repeat(depth)}`;
  const out = redactJsonText(deep);
  assert.equal(out, deep.replace('"token":"x"', `"token":"${REDACTED}"`));
  const secretTop = `{"secret":${'['.repeat(depth)}"v"${']'.repeat(depth)}}`;
  assert.equal(redactJsonText(secretTop)?.includes('"v"'), false);
});

test('redactBody masks secret parts of multipart/form-data and keeps the others', () => {
  const body = [
    '--XyZ',
    'Content-Disposition: form-data; name="username"',
    '',
    'ann',
    '--XyZ',
    'Content-Disposition: form-data; name="password"',
    'Content-Type: text/plain',
    '',
    'hunter2',
    '--XyZ--',
    '',
  ].join('\r\n');
  const out = redactBody(body, 'multipart/form-data; boundary=XyZ');
  assert.match(out, /name="username"\r\n\r\nann\r\n/);
  assert.match(out, /name="password"\r\nContent-Type: text\/plain\r\n\r\n\[REDACTED\]\r\n--XyZ--/);
  assert.doesNotMatch(out, /hunter2/);
});

test('redactJsonText rejects what is not JSON so text rules take over', () => {
  for (const bad of ['{', '{"a":1}}', '"a" "b"', '[1,2', '{"a": tru}', 'nope', ''])
    assert.equal(redactJsonText(bad), undefined, bad);
});

test('redactExchange redacts request and response, leaving the original untouched', () => {
  const exchange: HttpExchange = {
    request: {
      method: 'POST',
      url: 'https://api.example/login?api_key=k',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{"username":"a","password":"p"}',
    },
    response: {
      status: 200,
      headers: { 'Set-Cookie': 'sid=s; HttpOnly' },
      body: `{"access_token":"${JWT}"}`,
    },
  };
  const out = redactExchange(exchange);
  assert.equal(out.request.url, `https://api.example/login?api_key=${REDACTED}`);
  assert.equal(out.request.headers['Authorization'], `Bearer ${REDACTED}`);
  assert.equal(out.request.body, `{"username":"a","password":"${REDACTED}"}`);
  assert.equal(out.response?.headers['Set-Cookie'], `sid=${REDACTED}; HttpOnly`);
  assert.equal(out.response?.body, `{"access_token":"${REDACTED}"}`);
  assert.equal(exchange.request.headers['Authorization'], 'Bearer t');
});

// Runs a generated curl line in a real POSIX shell with `curl` replaced by a function that prints
// its argv (NUL-separated) and, when reading @-, its stdin. Proves quoting, not string shapes.
function shellArgv(command: string): { args: string[]; stdin: Buffer; injected: boolean } {
  const script = `pwned=0; curl() { for a in "$@"; do printf '%s\\0' "$a"; done; printf 'STDIN\\0'; case " $* " in *" @- "*) cat;; esac; }; ${command}; [ "$pwned" = 0 ] || printf 'PWNED'`;
  const run = spawnSync('sh', ['-c', script], { input: '' });
  assert.equal(run.status, 0, run.stderr.toString());
  const raw = run.stdout;
  const marker = raw.indexOf('STDIN\0');
  const args = raw.subarray(0, marker).toString('utf8').split('\0').slice(0, -1);
  const after = raw.subarray(marker + 6);
  const injected = after.toString('latin1').endsWith('PWNED');
  return { args, stdin: injected ? after.subarray(0, after.length - 5) : after, injected };
}

test('toCurl quotes every argument so hostile values cannot inject shell syntax', () => {
  const hostile = `x'; pwned=1; echo '$(id)\`id\`"\n; pwned=1 #`;
  const exchange: HttpExchange = {
    request: {
      method: 'PUT',
      url: `https://api.example/a b?q=${hostile}`,
      headers: { 'X-Note': hostile, Accept: '*/*' },
      body: `{"v":"${hostile}"}`,
    },
  };
  const command = toCurl(exchange, { redact: false });
  const { args, injected } = shellArgv(command);
  assert.equal(injected, false);
  assert.deepEqual(args, [
    '-sS',
    '-g',
    '-i',
    '-X',
    'PUT',
    '--url',
    `https://api.example/a b?q=${hostile}`,
    '-H',
    `X-Note: ${hostile}`,
    '-H',
    'Accept: */*',
    '--data-binary',
    `{"v":"${hostile}"}`,
  ]);
});

test('toCurl pipes bodies with control bytes or a leading @ through printf, byte for byte', () => {
  const body = "a\u0000b\u0001%s\\n'é\u007f";
  const { args, stdin } = shellArgv(
    toCurl({ request: { method: 'POST', url: 'http://127.0.0.1/x', headers: {}, body } }),
  );
  assert.deepEqual(args.slice(-2), ['--data-binary', '@-']);
  assert.deepEqual(stdin, Buffer.from(body, 'utf8'));
  const at = shellArgv(
    toCurl({
      request: { method: 'POST', url: 'http://127.0.0.1/x', headers: {}, body: '@/etc/passwd' },
    }),
  );
  assert.deepEqual(at.args.slice(-2), ['--data-binary', '@-']);
  assert.equal(at.stdin.toString('utf8'), '@/etc/passwd');
});

test('toCurl redacts by default, keeps the scheme, and drops headers curl computes itself', () => {
  const command = toCurl({
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:8080/items?token=abc',
      headers: {
        Authorization: 'Bearer abc',
        'Content-Length': '0',
        'X-Empty': '',
        '@/etc/passwd': 'x',
      },
    },
  });
  const { args } = shellArgv(command);
  assert.deepEqual(args, [
    '-sS',
    '-g',
    '-i',
    '--url',
    `http://127.0.0.1:8080/items?token=${REDACTED}`,
    '-H',
    `Authorization: Bearer ${REDACTED}`,
    '-H',
    'X-Empty;',
  ]);
  assert.doesNotMatch(command, /abc/);
});

test('toCurl uses -I for HEAD and -X for other methods', () => {
  assert.match(
    toCurl({ request: { method: 'HEAD', url: 'http://127.0.0.1/', headers: {} } }),
    / -I /,
  );
  assert.match(
    toCurl({ request: { method: 'DELETE', url: 'http://127.0.0.1/', headers: {} } }),
    / -X 'DELETE' /,
  );
});

test('shellQuote round-trips any printable string through sh', () => {
  for (const value of ["'", "''", "a'b", '$HOME', '`x`', '\\', '!', ' ', '\n', 'é', '--flag']) {
    const run = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`]);
    assert.equal(run.stdout.toString('utf8'), value);
  }
});
