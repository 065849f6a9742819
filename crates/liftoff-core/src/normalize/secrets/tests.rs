use super::*;
use crate::report::Report;
use crate::tree::{FileEntry, OnDuplicate, SourceTree};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// A JWT with the given payload, encoded as Supabase encodes its keys.
fn jwt(payload: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(payload);
    format!("{header}.{payload}.dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ")
}

fn service_role_jwt() -> String {
    jwt(
        r#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"service_role","iat":1700000000,"exp":2000000000}"#,
    )
}

fn anon_jwt() -> String {
    jwt(
        r#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"anon","iat":1700000000,"exp":2000000000}"#,
    )
}

const OPENAI_LEGACY: &str = "sk-Z3hJ8kQ2mN5pR7tV9xB1cD4fG6hJ8kL0mN2pQ4rS6tU8vW0";
const OPENAI_PROJECT: &str =
    "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Ab3dEf6hIj9kLm2nT3BlbkFJAb3dEf6hIj9kLm2nOp5qRs8t";
const ANTHROPIC_KEY: &str =
    "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z-Ab3dEfAA";
const STRIPE_LIVE: &str = "sk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
const STRIPE_TEST: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const STRIPE_RESTRICTED_LIVE: &str = "rk_live_51H8xYzAbCdEfGhIjKlMnOpQrSt0123";
const STRIPE_RESTRICTED_TEST: &str = "rk_test_51H8xYzAbCdEfGhIjKlMnOpQrSt4567";
const AWS_KEY: &str = "AKIA2E0A8F3B244C9986";
const AWS_SESSION_KEY: &str = "ASIAY34FZKBOKMUTVV7A";
const GITHUB_CLASSIC: &str = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
const GITHUB_OAUTH: &str = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
const GITHUB_USER: &str = "ghu_16C7e42F292c6912E7710c838347Ae178B4a";
const GITHUB_SERVER: &str = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const GITHUB_REFRESH: &str = "ghr_16C7e42F292c6912E7710c838347Ae178B4a";
const GITHUB_FINE: &str =
    "github_pat_11ABCDEFG0aBcDeFgHiJkLmN_OpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234";
const SUPABASE_SECRET_KEY: &str = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
const PRIVATE_KEY_PEM: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yVkz7xX0gQ2kL1mN3pR5tV7xZ9bD1fH3jK5lN7pR9tV1xZ3bD5fH\n-----END RSA PRIVATE KEY-----\n";

/// Scans one file and returns `(line, kind)` of each finding.
fn scan(text: &str) -> Vec<(usize, &'static str)> {
    scan_text(text)
        .into_iter()
        .map(|f| (f.line, f.kind))
        .collect()
}

#[test]
fn finds_each_kind_and_nothing_else() {
    let service_role = service_role_jwt();
    let anon = anon_jwt();
    let positives: Vec<(String, &str)> = vec![
        (
            format!("const openai = new OpenAI({{ apiKey: \"{OPENAI_LEGACY}\" }});"),
            kind::OPENAI,
        ),
        (format!("OPENAI_API_KEY={OPENAI_PROJECT}"), kind::OPENAI),
        (
            format!("const anthropic = new Anthropic({{ apiKey: '{ANTHROPIC_KEY}' }});"),
            kind::ANTHROPIC,
        ),
        (
            format!("const stripe = Stripe(\"{STRIPE_LIVE}\");"),
            kind::STRIPE_SECRET,
        ),
        (format!("stripe_key: `{STRIPE_TEST}`"), kind::STRIPE_SECRET),
        (
            format!("key = \"{STRIPE_RESTRICTED_LIVE}\""),
            kind::STRIPE_RESTRICTED,
        ),
        (
            format!("key = \"{STRIPE_RESTRICTED_TEST}\""),
            kind::STRIPE_RESTRICTED,
        ),
        (format!("accessKeyId: \"{AWS_KEY}\","), kind::AWS_ACCESS_KEY),
        (
            format!("AWS_ACCESS_KEY_ID={AWS_SESSION_KEY}"),
            kind::AWS_ACCESS_KEY,
        ),
        (format!("auth: \"token {GITHUB_CLASSIC}\""), kind::GITHUB),
        (GITHUB_OAUTH.to_string(), kind::GITHUB),
        (format!("t={GITHUB_USER}"), kind::GITHUB),
        (format!("t={GITHUB_SERVER};"), kind::GITHUB),
        (format!("t=({GITHUB_REFRESH})"), kind::GITHUB),
        (format!("GH_TOKEN=\"{GITHUB_FINE}\""), kind::GITHUB),
        (
            format!("createClient(url, \"{service_role}\")"),
            kind::SUPABASE_SERVICE_ROLE,
        ),
        (
            format!("SUPABASE_KEY={SUPABASE_SECRET_KEY}"),
            kind::SUPABASE_SECRET,
        ),
        (
            format!("const key = `{PRIVATE_KEY_PEM}`;"),
            kind::PRIVATE_KEY,
        ),
        (
            format!(
                "{{\"private_key\": \"{}\"}}",
                PRIVATE_KEY_PEM.replace('\n', "\\n")
            ),
            kind::PRIVATE_KEY,
        ),
    ];
    for (text, expected) in &positives {
        assert_eq!(scan(text), vec![(1, *expected)], "in {text:?}");
    }

    let negatives: Vec<String> = vec![
        format!("const supabase = createClient(url, \"{anon}\");"),
        "const stripe = loadStripe(\"pk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789\");"
            .into(),
        "pk_test_TYooMQauvdEDq54NiTphI7jx".into(),
        "The risk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789 identifier".into(),
        "const desk_test_51H8xYzAbCdEfGhIjKlMnOpQrSt = 1;".into(),
        "Use a key that starts with sk- and keep it on the server.".into(),
        "a desk-Z3hJ8kQ2mN5pR7tV9xB1cD4fG6hJ8kL0mN2pQ4rS6tU8vW0 lamp".into(),
        "<div class=\"sk-folding-cube-with-a-very-long-class-name-indeed\"></div>".into(),
        "sk-Ab3dEf6h".into(),
        "sk_live_short1".into(),
        "sk_test_XXXXXXXXXXXXXXXXXXXXXXXX".into(),
        "ghp_abc123".into(),
        "github_pat_token_description_field_name_long_enough_here".into(),
        "MALAKIA2E0A8F3B244C9986".into(),
        "AKIA2E0A8F3B244C9986X".into(),
        "AKIAshort".into(),
        "accessKeyId: \"AKIAIOSFODNN7EXAMPLE\"".into(),
        "if (pem.startsWith(\"-----BEGIN PRIVATE KEY-----\")) { return true; }".into(),
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0Z3VS5JJcds3xfn\n"
            .into(),
        "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln".into(),
        "eyJhbGciOiJIUzI1NiJ9".into(),
    ];
    for text in &negatives {
        assert_eq!(scan(text), vec![], "in {text:?}");
    }
}

#[test]
fn tells_service_role_jwt_from_anon() {
    let service_role = service_role_jwt();
    let anon = anon_jwt();
    // The payload really is base64url JSON (as in Supabase keys).
    let payload = service_role.split('.').nth(1).unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.decode(payload).unwrap(),
        br#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"service_role","iat":1700000000,"exp":2000000000}"#
    );
    let minimal_service = jwt(r#"{"role":"service_role"}"#);
    let minimal_anon = jwt(r#"{"role":"anon"}"#);
    assert!(is_service_role_jwt(minimal_service.as_bytes()));
    assert!(!is_service_role_jwt(minimal_anon.as_bytes()));

    let text = format!(
        "const anon = \"{anon}\";\nconst admin = \"{service_role}\";\nconst other = \"{minimal_anon}\";\n"
    );
    assert_eq!(scan(&text), vec![(2, kind::SUPABASE_SERVICE_ROLE)]);
    // A sentence ending right after the token still matches.
    assert_eq!(
        scan(&format!("The key is {minimal_service}.")),
        vec![(1, kind::SUPABASE_SERVICE_ROLE)]
    );
}

fn tree_of(files: &[(&str, &[u8])]) -> SourceTree {
    let mut tree = SourceTree::new();
    for (path, bytes) in files {
        tree.insert(path, FileEntry::new(bytes.to_vec()), OnDuplicate::Refuse)
            .unwrap();
    }
    tree
}

#[test]
fn reports_path_line_kind_in_order_and_skips_lockfiles_binaries_and_big_files() {
    let service_role = service_role_jwt();
    let app = format!("// setup\nconst a = \"{STRIPE_LIVE}\";\n\nconst b = \"{AWS_KEY}\";\n");
    let env = format!("VITE_SUPABASE_URL=\"https://x.supabase.co\"\nSERVICE=\"{service_role}\"\n");
    let lock = format!("{{\"token\": \"{GITHUB_CLASSIC}\"}}");
    let mut binary = format!("\0PNG{GITHUB_CLASSIC}").into_bytes();
    binary.push(0xff);
    let mut big = format!("{GITHUB_CLASSIC}\n").into_bytes();
    big.resize(MAX_SCANNED_BYTES + 1, b' ');
    let mut tree = tree_of(&[
        ("src/b.ts", app.as_bytes()),
        (".env", env.as_bytes()),
        ("package-lock.json", lock.as_bytes()),
        ("sub/yarn.lock", lock.as_bytes()),
        ("public/logo.png", &binary),
        ("dist/bundle.js", &big),
        ("src/a.ts", GITHUB_FINE.as_bytes()),
    ]);
    let mut report = Report::default();
    let mut edits = Edits::new(&mut tree, &mut report, "app");
    scan_secrets(&mut edits);
    scan_secrets(&mut edits);
    let found: Vec<(&str, usize, &str)> = report
        .secrets
        .iter()
        .map(|s| (s.path.as_str(), s.line, s.kind.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (".env", 2, kind::SUPABASE_SERVICE_ROLE),
            ("src/a.ts", 1, kind::GITHUB),
            ("src/b.ts", 2, kind::STRIPE_SECRET),
            ("src/b.ts", 4, kind::AWS_ACCESS_KEY),
        ]
    );
    assert_eq!(report.secrets[2].masked, "sk_l…89");
    assert_eq!(report.secrets[3].masked, "AKIA…86");
    assert!(report.changes.is_empty(), "the pass edits nothing");
}

#[test]
fn never_shows_a_secret_in_full() {
    let service_role = service_role_jwt();
    let secrets = [
        OPENAI_LEGACY,
        OPENAI_PROJECT,
        ANTHROPIC_KEY,
        STRIPE_LIVE,
        STRIPE_TEST,
        STRIPE_RESTRICTED_LIVE,
        STRIPE_RESTRICTED_TEST,
        AWS_KEY,
        AWS_SESSION_KEY,
        GITHUB_CLASSIC,
        GITHUB_OAUTH,
        GITHUB_USER,
        GITHUB_SERVER,
        GITHUB_REFRESH,
        GITHUB_FINE,
        SUPABASE_SECRET_KEY,
        service_role.as_str(),
    ];
    let mut text: String = secrets.iter().map(|s| format!("k = \"{s}\"\n")).collect();
    text.push_str(PRIVATE_KEY_PEM);
    let mut tree = tree_of(&[("src/config.ts", text.as_bytes())]);
    let mut report = Report::default();
    let mut edits = Edits::new(&mut tree, &mut report, "app");
    scan_secrets(&mut edits);
    assert_eq!(report.secrets.len(), secrets.len() + 1);

    let debug = format!("{report:?}");
    let json = serde_json::to_string(&report).unwrap();
    // The key material of the private key: its first line of base64.
    let pem_body = PRIVATE_KEY_PEM.lines().nth(1).unwrap();
    for secret in secrets.iter().copied().chain([pem_body]) {
        // No field shows even the value's middle part.
        let middle = &secret[6..secret.len() - 3];
        assert!(!debug.contains(middle), "Debug shows {middle}");
        assert!(!json.contains(middle), "JSON shows {middle}");
        for s in &report.secrets {
            assert!(!s.masked.contains(middle) && !s.kind.contains(middle));
        }
        assert!(report.warnings.iter().all(|w| !w.contains(middle)));
    }
    assert!(report.secrets.iter().all(|s| s.masked.contains('…')));
}

#[test]
fn survives_odd_input() {
    for text in [
        "",
        "s",
        "sk-",
        "AKIA",
        "eyJ",
        "eyJ..",
        "-----BEGIN ",
        "-----BEGIN PRIVATE KEY",
        "-----BEGIN PRIVATE KEY-----",
        "é sk_live_ é",
        "eyJ.eyJ.eyJ.eyJ",
    ] {
        assert_eq!(scan(text), vec![], "in {text:?}");
    }
}
