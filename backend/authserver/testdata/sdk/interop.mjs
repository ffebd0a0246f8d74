// Drives the embedded auth server with the official Nhost JS SDK
// (@nhost/nhost-js v4). Usage: node interop.mjs <authUrl> <adminSecret>
// Exits non-zero with a message on the first mismatch.
import { createClient } from '@nhost/nhost-js';

const [authUrl, adminSecret] = process.argv.slice(2);
const nhost = createClient({ authUrl, graphqlUrl: authUrl, storageUrl: authUrl, functionsUrl: authUrl });
const auth = nhost.auth;

function check(cond, msg) {
  if (!cond) {
    console.error('interop: ' + msg);
    process.exit(1);
  }
}

async function expectError(promise, status, code) {
  try {
    await promise;
  } catch (err) {
    check(err.status === status, `status ${err.status}, want ${status}: ${JSON.stringify(err.body)}`);
    check(err.body && err.body.error === code, `error ${JSON.stringify(err.body)}, want ${code}`);
    return;
  }
  check(false, `expected ${code}`);
}

async function outboxLink(email) {
  const res = await fetch(`${authUrl}/dev/outbox?to=${encodeURIComponent(email)}`, {
    headers: { 'x-hasura-admin-secret': adminSecret },
  });
  const msgs = await res.json();
  check(msgs.length > 0 && msgs[0].link, `no email to ${email}`);
  return msgs[0].link;
}

const email = `sdk-${Date.now()}@example.com`;
const password = 'sdk-password-123';

const up = await auth.signUpEmailPassword({ email, password, options: { displayName: 'SDK User' } });
check(up.status === 200 && up.body.session === undefined, `sign-up: ${JSON.stringify(up.body)}`);

await expectError(auth.signInEmailPassword({ email, password }), 401, 'unverified-user');

const link = await outboxLink(email);
const verified = await fetch(link, { redirect: 'manual' });
const loc = new URL(verified.headers.get('location'));
check(loc.searchParams.get('type') === 'verifyEmail' && loc.searchParams.get('refreshToken'), `verify: ${loc}`);

const signedIn = await auth.signInEmailPassword({ email, password });
check(signedIn.body.session && signedIn.body.session.user.email === email, `sign-in: ${JSON.stringify(signedIn.body)}`);
const stored = nhost.getUserSession();
check(stored && stored.accessToken === signedIn.body.session.accessToken, 'the SDK must store the session');
check(Array.isArray(stored.decodedToken?.['https://hasura.io/jwt/claims']?.['x-hasura-allowed-roles']), 'decoded claims');

const me = await auth.getUser();
check(me.body.email === email && me.body.displayName === 'SDK User', `getUser: ${JSON.stringify(me.body)}`);

const refreshed = await nhost.refreshSession(0);
check(refreshed && refreshed.refreshToken !== signedIn.body.session.refreshToken, 'refreshSession must rotate');
check(refreshed.refreshTokenId === signedIn.body.session.refreshTokenId, 'refreshTokenId must be stable');
await expectError(auth.refreshToken({ refreshToken: signedIn.body.session.refreshToken }), 401, 'invalid-refresh-token');

const ok = await auth.signInPasswordlessEmail({ email, options: { redirectTo: 'http://app.test/magic' } });
check(ok.body === 'OK', `passwordless: ${JSON.stringify(ok.body)}`);

const out = await auth.signOut({ refreshToken: refreshed.refreshToken });
check(out.body === 'OK', `sign-out: ${JSON.stringify(out.body)}`);
await expectError(auth.refreshToken({ refreshToken: refreshed.refreshToken }), 401, 'invalid-refresh-token');
await expectError(auth.signInEmailPassword({ email, password: 'wrong-password' }), 401, 'invalid-email-password');

console.log('interop: ok');
