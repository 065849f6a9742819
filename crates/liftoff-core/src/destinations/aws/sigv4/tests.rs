//! AWS's Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/
//! signature-v4-test-suite.html: each case's request and the `Authorization` it must get) and
//! the S3 documentation's signed-request examples (sig-v4-header-based-auth.html).

use super::*;
use crate::net::Method;

/// The suite's credentials, region, service and time (2015-08-30T12:36:00Z).
fn suite() -> (Credentials, Scope<'static>) {
    (
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        },
        Scope {
            region: "us-east-1",
            service: "service",
            time_s: 1_440_938_160,
        },
    )
}

fn request(method: Method, path_query: &str, headers: &[(&str, &str)], body: &[u8]) -> Request {
    Request {
        method,
        url: format!("https://example.amazonaws.com{path_query}"),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.to_vec(),
    }
}

fn authorization(mut request: Request, credentials: &Credentials, scope: Scope) -> String {
    sign(&mut request, credentials, scope, Payload::Signed);
    request.header("authorization").unwrap().to_string()
}

fn expected(signed_headers: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders={signed_headers}, Signature={signature}"
    )
}

#[test]
fn the_suite_s_requests_get_its_signatures() {
    let (credentials, scope) = suite();
    let cases: Vec<(&str, Request, String)> = vec![
        (
            "get-vanilla",
            request(Method::Get, "/", &[], b""),
            expected(
                "host;x-amz-date",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
        ),
        (
            "get-vanilla-query-order-key-case",
            request(Method::Get, "/?Param2=value2&Param1=value1", &[], b""),
            expected(
                "host;x-amz-date",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
        ),
        (
            "get-vanilla-utf8-query",
            request(Method::Get, "/?%E1%88%B4=bar", &[], b""),
            expected(
                "host;x-amz-date",
                "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            ),
        ),
        (
            "get-utf8",
            request(Method::Get, "/%E1%88%B4", &[], b""),
            expected(
                "host;x-amz-date",
                "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
            ),
        ),
        (
            "get-header-value-trim",
            request(
                Method::Get,
                "/",
                &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
                b"",
            ),
            expected(
                "host;my-header1;my-header2;x-amz-date",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            ),
        ),
        (
            "post-vanilla",
            request(Method::Post, "/", &[], b""),
            expected(
                "host;x-amz-date",
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            ),
        ),
        (
            "post-x-www-form-urlencoded",
            request(
                Method::Post,
                "/",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                b"Param1=value1",
            ),
            expected(
                "content-type;host;x-amz-date",
                "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            ),
        ),
    ];
    for (name, request, want) in cases {
        assert_eq!(authorization(request, &credentials, scope), want, "{name}");
    }
}

#[test]
fn a_session_token_is_signed_as_x_amz_security_token() {
    let (mut credentials, scope) = suite();
    credentials.session_token = Some(
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==".into(),
    );
    // post-sts-header-before: the token is part of the canonical request.
    let mut signed = request(Method::Post, "/", &[], b"");
    sign(&mut signed, &credentials, scope, Payload::Signed);
    assert_eq!(
        signed.header("authorization"),
        Some(
            expected(
                "host;x-amz-date;x-amz-security-token",
                "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
            )
            .as_str()
        )
    );
    assert!(signed.header("x-amz-security-token").is_some());
}

#[test]
fn s3_s_documented_get_object_example() {
    // GET /test.txt with Range, on examplebucket, 2013-05-24T00:00:00Z (the S3 API reference's
    // "Example: GET Object").
    let credentials = Credentials {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let mut get = Request {
        method: Method::Get,
        url: "https://examplebucket.s3.amazonaws.com/test.txt".into(),
        headers: vec![("Range".into(), "bytes=0-9".into())],
        body: Vec::new(),
    };
    let scope = Scope {
        region: "us-east-1",
        service: "s3",
        time_s: 1_369_353_600,
    };
    sign(&mut get, &credentials, scope, Payload::Signed);
    assert_eq!(
        get.header("x-amz-content-sha256"),
        Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(
        get.header("authorization"),
        Some(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    );
    // The secret never shows in what is sent or printed.
    assert!(!format!("{get:?}{credentials:?}").contains("bPxRfiCYEXAMPLEKEY"));
}

#[test]
fn dates_and_encoding() {
    assert_eq!(amz_date(1_440_938_160), "20150830T123600Z");
    assert_eq!(encode("a b/c~d", false), "a%20b/c~d");
    assert_eq!(encode("a/b", true), "a%2Fb");
    assert_eq!(decode("%E1%88%B4%zz"), "ሴ%zz");
}
