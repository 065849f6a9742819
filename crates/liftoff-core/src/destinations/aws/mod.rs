//! AWS: a static app served from S3 (and CloudFront), each deployment an immutable release,
//! going live a server-side switch. Requests signed with Signature Version 4 ([`sigv4`]).

pub mod sigv4;
