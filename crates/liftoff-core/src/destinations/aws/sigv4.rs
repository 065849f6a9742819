//! AWS Signature Version 4 for a planned [`Request`], without I/O: the caller gives the time.
//!
//! Written here rather than taken from the AWS SDK: the SDK's signer pulls in its runtime
//! (tokio, hyper), and the algorithm is a page long (docs.aws.amazon.com, "Create a signed AWS
//! API request"). Checked against AWS's published Signature Version 4 test suite and the S3
//! documentation's examples (`tests` below).

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::net::{header, Request};

/// Access keys, as every AWS tool reads them. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// A temporary credential's session token (`AWS_SESSION_TOKEN`), sent as
    /// `x-amz-security-token` and signed.
    pub session_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What the signature covers besides the request.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub region: &'a str,
    /// `s3`, `cloudfront`.
    pub service: &'a str,
    /// The request's time, epoch seconds.
    pub time_s: i64,
}

/// The payload's hash as the signature names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// SHA-256 of the body (computed here), sent as `x-amz-content-sha256` for S3.
    Signed,
    /// `UNSIGNED-PAYLOAD` (S3 only).
    Unsigned,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Signs `request` in place: adds `x-amz-date`, `x-amz-security-token` (with a session token),
/// `x-amz-content-sha256` (for S3) and `authorization`. Every header the request holds then is
/// signed, with `host` from its URL, and the path as the URL has it (build URLs with [`encode`]:
/// each segment percent-encoded once, as S3 and AWS's test suite want).
pub fn sign(request: &mut Request, credentials: &Credentials, scope: Scope, payload: Payload) {
    let amz_date = amz_date(scope.time_s);
    let s3 = scope.service == "s3";
    let payload_hash = match payload {
        Payload::Signed => hex(&Sha256::digest(&request.body)),
        Payload::Unsigned => "UNSIGNED-PAYLOAD".to_string(),
    };
    request
        .headers
        .push(("x-amz-date".into(), amz_date.clone()));
    if let Some(token) = &credentials.session_token {
        request
            .headers
            .push(("x-amz-security-token".into(), token.clone()));
    }
    if s3 {
        request
            .headers
            .push(("x-amz-content-sha256".into(), payload_hash.clone()));
    }
    let (canonical, signed_headers) = canonical_request(request, &payload_hash);
    let date = &amz_date[..8];
    let credential_scope = format!("{date}/{}/{}/aws4_request", scope.region, scope.service);
    let to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{credential_scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let key = signing_key(
        &credentials.secret_access_key,
        date,
        scope.region,
        scope.service,
    );
    let signature = hex(&hmac(&key, to_sign.as_bytes()));
    request.headers.push((
        header::AUTHORIZATION.into(),
        format!(
            "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={signed_headers}, \
             Signature={signature}",
            credentials.access_key_id
        ),
    ));
}

/// `YYYYMMDDTHHMMSSZ` for epoch seconds.
pub fn amz_date(time_s: i64) -> String {
    let (y, m, d, hh, mm, ss) = crate::time::utc_parts(time_s);
    format!("{y:04}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z")
}

/// The canonical request and the signed header names.
fn canonical_request(request: &Request, payload_hash: &str) -> (String, String) {
    let (host, path, query) = split_url(&request.url);
    let uri = if path.is_empty() { "/" } else { path };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(k), true), encode(&decode(v), true))
        })
        .collect();
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers: Vec<(String, String)> = vec![("host".into(), host.to_string())];
    for (name, value) in &request.headers {
        let name = name.to_ascii_lowercase();
        if name == "host" || name == "authorization" {
            continue;
        }
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => headers.push((name, value)),
        }
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let signed = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let listed: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical = format!(
        "{}\n{uri}\n{query}\n{listed}\n{signed}\n{payload_hash}",
        request.method.as_str()
    );
    (canonical, signed)
}

/// `(host[:port], path, query)` of an http(s) URL.
fn split_url(url: &str) -> (&str, &str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (authority, path_query) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => match rest.find('?') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        },
    };
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    (authority, path, query)
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (and `/`, unless
/// `slash`), upper-case hex, as SigV4 wants it.
pub fn encode(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || (byte == b'/' && !slash) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decoding (invalid escapes kept as they are; `+` is not a space in SigV4).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_pair = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex_pair) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
