// A throw-away self-signed certificate for local HTTPS stand-ins. Chromium reaches them through
// --host-resolver-rules and accepts the certificate with --ignore-certificate-errors; the names
// are still written into it (subjectAltName) so that the certificate matches what is served.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** {key, cert} (PEM buffers) for names, made with openssl in a temporary folder (or in dir). */
export function makeCertificate(names, dir) {
  const own = !dir;
  const at = dir ?? mkdtempSync(join(tmpdir(), 'liftoff-cert-'));
  try {
    const key = join(at, 'key.pem');
    const cert = join(at, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}`,
    ], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    if (own) rmSync(at, { recursive: true, force: true });
  }
}
