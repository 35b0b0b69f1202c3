// A real OpenID Connect provider (oidc-provider) on loopback, for the Exchange's SSO tests.
//
// Configured by the environment:
//   OIDC_PORT, OIDC_TLS_KEY, OIDC_TLS_CERT   where it listens (https), with which certificate
//   OIDC_CLIENTS    JSON list of {client_id, client_secret, redirect_uris}
//   OIDC_ACCOUNTS   JSON object: email -> {email_verified, name}
// Sign-in needs no form: the person is the account named by the request's login_hint, and consent is
// granted at once (the loadExistingGrant below), so a test can follow the redirects programmatically.
//
// For tests of what a relying party must refuse, POST /_test/tamper?mode=MODE makes the next ID tokens
// come back changed: "audience" (another client's), "expired" (an hour ago), "signature" (signed by
// a key the provider does not publish), "nonce" (another request's), "stale-login" (the person signed in
// an hour ago) or "" (unchanged, the default).
import { readFileSync } from 'node:fs';
import https from 'node:https';

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `https://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');

const signingKey = await keyPair('provider-key');
const strangerKey = await keyPair('provider-key'); // same kid, never published
let tamper = '';

async function keyPair(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // put the email claims in the ID token itself
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: `subject-${id}`, email: id, email_verified: account.email_verified, name: account.name };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
const callback = provider.callback();

async function signIn(req, res) {
  const details = await provider.interactionDetails(req, res);
  const hint = details.params.login_hint;
  if (!accounts[hint]) {
    res.statusCode = 400;
    res.end(`no test account ${hint}`);
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: hint } }, { mergeWithLastSubmission: false });
}

async function changed(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  let key = signingKey;
  if (tamper === 'audience') claims.aud = 'another-client';
  if (tamper === 'expired') Object.assign(claims, { iat: claims.iat - 7200, exp: claims.iat - 3600 });
  if (tamper === 'signature') key = strangerKey;
  if (tamper === 'nonce') claims.nonce = 'a-nonce-from-another-request';
  if (tamper === 'stale-login') claims.auth_time -= 3600;
  return new SignJWT(claims).setProtectedHeader(header).sign(await importJWK(key, 'RS256'));
}

// Holds the token endpoint's answer back to change its ID token.
function tamperTokens(res) {
  const chunks = [];
  const end = res.end.bind(res);
  res.write = (chunk) => { chunks.push(Buffer.from(chunk)); return true; };
  res.end = (chunk) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const finish = (text) => { res.setHeader('Content-Length', Buffer.byteLength(text)); end(text); };
    if (!body.id_token) return finish(JSON.stringify(body));
    changed(body.id_token).then((token) => finish(JSON.stringify({ ...body, id_token: token })));
    return res;
  };
}

const server = https.createServer(
  { key: readFileSync(process.env.OIDC_TLS_KEY), cert: readFileSync(process.env.OIDC_TLS_CERT) },
  (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/_test/tamper' && req.method === 'POST') {
      tamper = url.searchParams.get('mode') || '';
      res.end(`tamper=${tamper}`);
      return;
    }
    if (url.pathname.startsWith('/interaction/')) {
      signIn(req, res).catch((error) => { res.statusCode = 500; res.end(String(error)); });
      return;
    }
    if (url.pathname === '/token' && tamper) tamperTokens(res);
    callback(req, res);
  },
);
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
