// A real OpenID Provider for the tests: node oidc-provider with its
// development interactions (a login form that takes any password), one
// confidential client, and the accounts given. Prints "LISTENING <port>".
//
// Flags (all but --port optional):
//   --port N               the port (0: a free one)
//   --client-id ID --client-secret S --redirect-uri URL
//   --accounts JSON        [{"email": "...", "verified": true}]
//   --clock-offset SECS    the provider's clock runs SECS off (negative:
//                          the tokens it issues are already expired)
//   --foreign-jwks         publish other keys than those it signs with
//                          (its ID tokens then look signed by another key)
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) {
      const next = all[i + 1];
      pairs.push([arg.slice(2), next === undefined || next.startsWith('--') ? 'true' : next]);
    }
    return pairs;
  }, []),
);

const offset = Number(args['clock-offset'] ?? 0) * 1000;
if (offset !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}

function rsaJwk(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

const accounts = JSON.parse(args.accounts ?? '[]');
const signing = rsaJwk('signing');

const configuration = {
  clients: [{
    client_id: args['client-id'] ?? 'barraiser',
    client_secret: args['client-secret'] ?? 'a-client-secret-for-the-tests',
    redirect_uris: [args['redirect-uri'] ?? 'http://127.0.0.1/login/oidc/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signing] },
  cookies: { keys: ['barraiser-tests-cookie-key'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // The email claims in the ID token itself, as the common providers put them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  // A first-party client: consent is granted without asking.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts.find((a) => a.email === id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, email: account.email, email_verified: account.verified !== false };
      },
    };
  },
};

// The test reads the first line only, then closes the pipe.
process.stdout.on('error', () => {});
console.log = () => {};

const port = Number(args.port ?? 0);
const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  const provider = new Provider(`http://127.0.0.1:${actual}`, configuration);
  const callback = provider.callback();
  const foreign = args['foreign-jwks'] === 'true'
    ? JSON.stringify({ keys: [(({ kty, n, e }) => ({ kty, n, e, kid: 'signing', use: 'sig', alg: 'RS256' }))(rsaJwk('signing'))] })
    : null;
  server.on('request', (req, res) => {
    if (foreign && req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(foreign);
      return;
    }
    callback(req, res);
  });
  process.stdout.write(`LISTENING ${actual}\n`);
});
