// Drives the embedded auth server with the official Nhost JS SDK
// (@nhost/nhost-js v4). Usage: node interop.mjs <authUrl> <adminSecret>
// Exits non-zero with a message on the first mismatch.
import { createClient } from '@nhost/nhost-js';
import { generatePKCEPair } from '@nhost/nhost-js/auth';

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

async function outbox(to) {
  const res = await fetch(`${authUrl}/dev/outbox?to=${encodeURIComponent(to)}`, {
    headers: { 'x-hasura-admin-secret': adminSecret },
  });
  return res.json();
}

async function follow(link) {
  const res = await fetch(link, { redirect: 'manual' });
  return new URL(res.headers.get('location'));
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

check((await auth.healthCheckGet()).body === 'OK', 'healthz');
check(typeof (await auth.getVersion()).body.version === 'string', 'version');
check(Array.isArray((await auth.getJWKs()).body.keys), 'jwks');

// Password reset through the emailed ticket, then the new password.
const reset = await auth.sendPasswordResetEmail({ email, options: { redirectTo: 'http://app.test/reset' } });
check(reset.body === 'OK', 'password reset');
const resetLoc = await follow(await outboxLink(email));
check(resetLoc.searchParams.get('type') === 'passwordReset', `reset redirect ${resetLoc}`);
const afterReset = await auth.refreshToken({ refreshToken: resetLoc.searchParams.get('refreshToken') });
check(afterReset.body.accessToken, 'session after reset');
const changed = await auth.changeUserPassword({ newPassword: 'sdk-password-456' }, {
  headers: { Authorization: `Bearer ${afterReset.body.accessToken}` },
});
check(changed.body === 'OK', 'change password');
check((await auth.verifyToken({ token: afterReset.body.accessToken })).status === 200, 'verifyToken');
await expectError(auth.sendVerificationEmail({ email }), 400, 'email-already-verified');

// Magic link with PKCE.
const { verifier, challenge } = await generatePKCEPair();
await auth.signInPasswordlessEmail({ email, codeChallenge: challenge });
const pkceLoc = await follow(await outboxLink(email));
check(pkceLoc.searchParams.get('code') && !pkceLoc.searchParams.get('refreshToken'), `pkce redirect ${pkceLoc}`);
const exchanged = await auth.tokenExchange({ code: pkceLoc.searchParams.get('code'), codeVerifier: verifier });
check(exchanged.body.session && exchanged.body.session.user.email === email, 'token exchange');

// SMS code.
const phone = '+1555' + String(Date.now()).slice(-7);
check((await auth.signInPasswordlessSms({ phoneNumber: phone })).body === 'OK', 'sms');
const sms = await outbox(phone);
const code = sms[0].text.match(/\b\d{6}\b/)[0];
const smsSession = await auth.verifySignInPasswordlessSms({ phoneNumber: phone, otp: code });
check(smsSession.body.session.user.phoneNumber === phone, 'sms session');

// Provider URLs are built by the SDK; a disabled provider redirects with an error.
const providerURL = auth.signInProviderURL('github', { redirectTo: 'http://app.test/oauth' });
const providerLoc = await follow(providerURL);
check(providerLoc.searchParams.get('error') === 'disabled-endpoint', `provider redirect ${providerLoc}`);

await auth.signInEmailPassword({ email, password: 'sdk-password-456' });
const all = await auth.signOut({ all: true });
check(all.body === 'OK', 'sign out all');

console.log('interop: ok');
