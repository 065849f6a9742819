// An HTTP proxy in front of moto (tests/servers/moto.mjs) that checks every request's AWS
// Signature Version 4 the way S3 and CloudFront do, since moto accepts any signature.
//
// Sources it follows:
// - AWS Signature Version 4: "Create a signed AWS API request" and "Elements of an AWS API
//   request signature" (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html,
//   reference_sigv-signing-elements.html): the canonical request (method, canonical URI,
//   canonical query, the signed headers, the payload hash), the string to sign, the signing key.
// - S3's "Authenticating Requests (AWS Signature Version 4)" and "Signature Calculations for the
//   Authorization Header" (AmazonS3/latest/API/sig-v4-header-based-auth.html): S3 encodes each
//   path segment of the key once (other services twice), requires x-amz-content-sha256 and
//   checks it against the body, and refuses x-amz-* headers that are not signed.
// - S3's "Error responses" (AmazonS3/latest/API/ErrorResponses.html): `<Error><Code>` bodies
//   with 403 SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied, RequestTimeTooSkewed,
//   400 XAmzContentSHA256Mismatch, AuthorizationHeaderMalformed, InvalidRequest; CloudFront's
//   `<ErrorResponse><Error><Type><Code><Message>` (InvalidClientTokenId, SignatureDoesNotMatch).
// - CloudFront's InvalidationBatch (cloudfront/latest/APIReference/API_InvalidationBatch.html):
//   a second CreateInvalidation with a CallerReference already used and the same paths creates
//   nothing and answers with the first invalidation; different paths → 409
//   InvalidationBatchAlreadyExists. moto creates a new invalidation every time, so this proxy
//   keeps that rule itself (option `callerReferences`, on by default).
//
// The check is an independent implementation: the request is signed again with npm's
// @smithy/signature-v4 (the AWS SDK for JavaScript's signer) and @aws-crypto/sha256-js, with
// the client's x-amz-date, only the headers its SignedHeaders lists, its credential scope, and
// the payload hash it sent in x-amz-content-sha256 (S3; the body's hash otherwise), and the two
// signatures are compared. S3's canonical URI is rebuilt from the decoded key (each segment
// URI-encoded as the SigV4 docs define UriEncode), as S3 does, so a client that signs a path it
// did not send byte for byte fails here as it would on AWS.
//
// A refused request never reaches moto. Every request is logged (method, path, service, whether
// it carried x-amz-copy-source, body bytes, what happened), so tests can count uploads and
// server-side copies; refusals are counted with their code and, for a signature mismatch, the
// canonical request this side computed. Tests can also lose an answer (forwarded, then the
// connection dropped) or fail a request with an S3 error, to see what a client does then.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';

// The signer is tests/deploy's dev dependency (pinned in its package.json), resolved from there.
const require = createRequire(new URL('../deploy/package.json', import.meta.url));
const { Sha256 } = require('@aws-crypto/sha256-js');
const { SignatureV4, getCanonicalHeaders, getPayloadHash } = require('@smithy/signature-v4');

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** SigV4's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex). */
export function uriEncode(text) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const xmlEscape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

/** `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, or null. */
function parseAuthorization(value) {
  if (!value || !value.startsWith(`${ALGORITHM} `)) return null;
  const fields = {};
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return null;
    fields[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!credential || !signedHeaders || !signature) return null;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return null;
  const [accessKeyId, date, region, service] = scope;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `YYYYMMDDTHHMMSSZ` → Date, or null. */
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** The raw query as SigV4 sees it: names and values percent-decoded (no `+` → space). */
function parseQuery(raw) {
  const query = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1));
    if (key in query) query[key] = [].concat(query[key], value);
    else query[key] = value;
  }
  return query;
}

/** Header values by lower-case name, repeated headers joined with `,` (SigV4's rule). */
function headerValues(rawHeaders) {
  const values = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    values[name] = name in values ? `${values[name]},${rawHeaders[i + 1]}` : rawHeaders[i + 1];
  }
  return values;
}

/** The first `<name>…</name>`'s text. */
function xmlField(xml, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? m[1] : null;
}

/**
 * Starts the proxy. `credentials`: the keys it knows, [{accessKeyId, secretAccessKey,
 * sessionToken?}]; `region`: when given, S3 requests must be scoped to it (as a bucket's region
 * is on AWS; CloudFront's is always us-east-1). Returns {origin, log, rejections, since(mark),
 * loseAnswer(match, times), close()}.
 */
export async function startSigV4Proxy({ upstream, credentials, region = null, callerReferences = true, port = 0 }) {
  const upstreamUrl = new URL(upstream);
  const keys = new Map(credentials.map((c) => [c.accessKeyId, c]));
  /** Every request, in arrival order. */
  const log = [];
  /** The refused ones: {method, path, service, code, message, canonicalRequest?}. */
  const rejections = [];
  /** Answers to lose: [{match, times}]. */
  const toLose = [];
  /** Requests to refuse with an S3 error instead of forwarding: [{match, times, status, code}]. */
  const toFail = [];
  /** CloudFront: `${distribution}\n${callerReference}` → {paths, status, headers, body}. */
  const invalidations = new Map();

  function refuse(res, entry, service, status, code, message, extra = {}, counted = true) {
    entry.status = status;
    entry.verdict = 'rejected';
    entry.code = code;
    if (counted) rejections.push({ method: entry.method, path: entry.path, service, code, message, ...extra });
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let body;
    if (service === 'cloudfront') {
      body =
        '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
        `<Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    } else {
      const more = Object.entries(extra.xml ?? {})
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join('');
      body =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${more}` +
        `<RequestId>${requestId}</RequestId><HostId>${randomBytes(12).toString('base64')}</HostId></Error>`;
    }
    res.writeHead(status, {
      'content-type': service === 'cloudfront' ? 'text/xml' : 'application/xml',
      'content-length': Buffer.byteLength(body),
      'x-amz-request-id': requestId,
    });
    res.end(body);
  }

  /** Checks the request's signature; null when good, else [status, code, message, extra]. */
  async function check(req, body, headers, auth, path, rawQuery) {
    const service = auth.service;
    const key = keys.get(auth.accessKeyId);
    if (!key) {
      return service === 'cloudfront'
        ? [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.']
        : [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { xml: { AWSAccessKeyId: auth.accessKeyId } }];
    }
    const when = parseAmzDate(headers['x-amz-date']);
    if (!when) return [403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'];
    if (Math.abs(Date.now() - when.getTime()) > MAX_SKEW_MS) {
      return service === 'cloudfront'
        ? [403, 'SignatureDoesNotMatch', `Signature expired: ${headers['x-amz-date']} is now earlier or later than 15 minutes from now`]
        : [403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.'];
    }
    if (service === 's3' && region && auth.region !== region) {
      return [400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${auth.region}' is wrong; expecting '${region}'`, { xml: { Region: region } }];
    }
    if (service === 'cloudfront' && auth.region !== 'us-east-1') {
      return [403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${auth.region}'.`];
    }
    const signed = new Set(auth.signedHeaders);
    if (!signed.has('host')) return [403, 'AccessDenied', "'Host' must be a 'SignedHeader' in the AWS Authorization."];
    for (const name of auth.signedHeaders) {
      if (!(name in headers)) return [403, 'SignatureDoesNotMatch', `the signed header ${name} is not in the request`];
    }
    if (service === 's3') {
      const unsigned = Object.keys(headers).filter((n) => n.startsWith('x-amz-') && !signed.has(n));
      if (unsigned.length) {
        return [403, 'AccessDenied', 'There were headers present in the request which were not signed', { xml: { HeadersNotSigned: unsigned.join(', ') } }];
      }
      const claimed = headers['x-amz-content-sha256'];
      if (!claimed) return [400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256'];
      if (claimed.startsWith('STREAMING-')) return [501, 'NotImplemented', 'this proxy does not check chunked (streaming) signatures'];
      if (claimed !== 'UNSIGNED-PAYLOAD') {
        const actual = createHash('sha256').update(body).digest('hex');
        if (claimed !== actual) {
          return [400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", { xml: { ClientComputedContentSHA256: claimed, S3ComputedContentSHA256: actual } }];
        }
      }
    }
    const token = headers['x-amz-security-token'];
    if ((key.sessionToken ?? null) !== (token ?? null)) {
      return service === 'cloudfront'
        ? [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.']
        : [400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.'];
    }
    if (token && !signed.has('x-amz-security-token')) {
      return [403, 'AccessDenied', 'There were headers present in the request which were not signed', { xml: { HeadersNotSigned: 'x-amz-security-token' } }];
    }

    // The canonical URI: S3 encodes the decoded key's segments once; other services take the
    // path as sent and encode it again (the signer's uriEscapePath).
    let canonicalPath;
    try {
      canonicalPath = service === 's3' ? path.split('/').map((s) => uriEncode(decodeURIComponent(s))).join('/') : path;
    } catch {
      return [400, 'InvalidURI', "Couldn't parse the specified URI."];
    }
    const toSign = {
      method: req.method,
      protocol: 'http:',
      hostname: headers.host.replace(/:\d+$/, ''),
      path: canonicalPath,
      query: parseQuery(rawQuery),
      headers: Object.fromEntries(auth.signedHeaders.filter((n) => n !== 'x-amz-date').map((n) => [n, headers[n]])),
      body,
    };
    const signer = new SignatureV4({
      service,
      region: auth.region,
      sha256: Sha256,
      uriEscapePath: service !== 's3',
      applyChecksum: false,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: token ? key.sessionToken : undefined },
    });
    const ours = await signer.sign(toSign, { signingDate: when, signableHeaders: signed });
    const parsed = parseAuthorization(ours.headers.authorization);
    const same =
      parsed.date === auth.date &&
      parsed.signedHeaders.join(';') === auth.signedHeaders.join(';') &&
      parsed.signature.length === auth.signature.length &&
      timingSafeEqual(Buffer.from(parsed.signature), Buffer.from(auth.signature));
    if (same) return null;
    const canonicalHeaders = getCanonicalHeaders(ours, undefined, signed);
    delete canonicalHeaders.authorization;
    const canonicalRequest = signer.createCanonicalRequest(ours, canonicalHeaders, await getPayloadHash(ours, Sha256));
    return [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { canonicalRequest, xml: { AWSAccessKeyId: auth.accessKeyId, SignatureProvided: auth.signature, CanonicalRequest: canonicalRequest } },
    ];
  }

  /** Sends the request on to moto; resolves {status, rawHeaders, body}. */
  function forward(req, body) {
    return new Promise((resolve, reject) => {
      const headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (HOP_BY_HOP.has(req.rawHeaders[i].toLowerCase())) continue;
        if (req.rawHeaders[i].toLowerCase() === 'content-length') continue;
        headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
      }
      headers.push('content-length', String(body.length));
      const out = httpRequest(
        { hostname: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers },
        (answer) => {
          const chunks = [];
          answer.on('data', (c) => chunks.push(c));
          answer.on('end', () => resolve({ status: answer.statusCode, rawHeaders: answer.rawHeaders, body: Buffer.concat(chunks) }));
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  function relay(req, res, answer) {
    const headers = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      if (HOP_BY_HOP.has(answer.rawHeaders[i].toLowerCase())) continue;
      headers.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
    }
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  }

  async function handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const [path, rawQuery = ''] = req.url.split(/\?(.*)/s);
    const headers = headerValues(req.rawHeaders);
    const auth = parseAuthorization(headers.authorization);
    const service = auth?.service ?? (path.startsWith('/2020-05-31/') ? 'cloudfront' : 's3');
    const entry = {
      seq: log.length,
      method: req.method,
      path,
      query: rawQuery,
      service,
      copySource: headers['x-amz-copy-source'] ?? null,
      copy: 'x-amz-copy-source' in headers,
      bytes: body.length,
      status: null,
      verdict: null,
      code: null,
    };
    log.push(entry);
    if (!headers.authorization) {
      return service === 'cloudfront'
        ? refuse(res, entry, service, 403, 'MissingAuthenticationToken', 'Missing Authentication Token')
        : refuse(res, entry, service, 403, 'AccessDenied', 'Access Denied');
    }
    if (!auth) {
      return refuse(res, entry, service, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    }
    entry.accessKeyId = auth.accessKeyId;
    entry.region = auth.region;
    const problem = await check(req, body, headers, auth, path, rawQuery);
    if (problem) {
      const [status, code, message, extra] = problem;
      return refuse(res, entry, service, status, code, message, extra);
    }

    const fail = toFail.find((f) => f.times > 0 && f.match(entry));
    if (fail) {
      fail.times -= 1;
      refuse(res, entry, service, fail.status, fail.code, fail.message, {}, false);
      entry.verdict = 'failed';
      return;
    }

    // CloudFront's CallerReference rule for invalidations (moto has none).
    const invalidation = service === 'cloudfront' && req.method === 'POST' && /^\/2020-05-31\/distribution\/[^/]+\/invalidation$/.test(path);
    let remember = null;
    if (invalidation && callerReferences) {
      const text = body.toString('utf8');
      const reference = xmlField(text, 'CallerReference');
      const paths = [...text.matchAll(/<Path>([\s\S]*?)<\/Path>/g)].map((m) => m[1]).sort();
      const id = `${path}\n${reference}`;
      const earlier = invalidations.get(id);
      if (earlier) {
        if (earlier.paths.join('\n') !== paths.join('\n')) {
          return refuse(res, entry, service, 409, 'InvalidationBatchAlreadyExists', `CallerReference ${reference} was used before with other paths`);
        }
        entry.status = earlier.status;
        entry.verdict = 'replayed';
        return relay(req, res, earlier);
      }
      remember = (answer) => {
        if (answer.status === 201) invalidations.set(id, { paths, ...answer });
      };
    }

    let answer;
    try {
      answer = await forward(req, body);
    } catch (error) {
      entry.status = 502;
      entry.verdict = 'upstream-failed';
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`moto did not answer: ${error.message}`);
      return;
    }
    remember?.(answer);
    entry.status = answer.status;
    const lose = toLose.find((l) => l.times > 0 && l.match(entry));
    if (lose) {
      lose.times -= 1;
      entry.verdict = 'lost';
      req.socket.destroy();
      return;
    }
    entry.verdict = 'relayed';
    relay(req, res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`sigv4-proxy: ${error.stack}`);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    log,
    rejections,
    /** The log's entries after `mark` (a `log.length` taken earlier). */
    since: (mark) => log.slice(mark),
    /** Forward the next `times` requests matching `match(entry)` but drop the connection
     * instead of answering (a lost answer: the client cannot know whether it happened). */
    loseAnswer(match, times = 1) {
      toLose.push({ match, times });
    },
    /** Answer the next `times` requests matching `match(entry)` (after their signature is
     * checked) with an error of S3's shape instead of forwarding them; they are logged with
     * verdict `failed`, not counted as rejections. */
    failNext(match, { status = 403, code = 'AccessDenied', message = 'Access Denied', times = 1 } = {}) {
      toFail.push({ match, times, status, code, message });
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
