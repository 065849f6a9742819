//! The off-ramp's texts: the modules, the migration, the notes and the lockfile entries it
//! writes into exports. They are files in this folder, not code, and together they are larger
//! than what is left of the export module's WebAssembly budget (300 KB gzipped), so the core
//! takes them in one of two ways:
//!
//! - feature `embedded-texts` (default; the CLI, the tests): compiled in with `include_str!`;
//! - without it (the extension's export module): handed over once by the host through
//!   [`provide`] (`build.sh` writes them as `extension/wasm/offramp-texts.js`, which the service
//!   worker passes on after loading the module).
//!
//! Until they are there, [`texts`] answers `None` and the off-ramp is not applied (the export
//! says so in a warning, and keeps the SDK): never a half-written off-ramp.

#[cfg(not(feature = "embedded-texts"))]
use std::sync::OnceLock;

/// Every text the off-ramp writes, by file of this folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// `client.js`: the `base44` object on supabase-js, shared by the browser and the server.
    pub client: String,
    /// `browser.js`: the browser's end of `src/api/base44Client.js`.
    pub browser: String,
    /// `server.ts`: the Deno end of `supabase/functions/_shared/base44.ts`.
    pub server: String,
    /// `core.ts`: the `base44-core` Edge Function (Base44's Core integrations).
    pub core: String,
    /// `storage.sql`: the Storage buckets' migration.
    pub storage: String,
    /// `notes.md`: the off-ramp's section of LIFTOFF.md.
    pub notes: String,
    /// `supabase-lock.json`: supabase-js and its closure as lockfile entries.
    pub lock: String,
    /// `database.md`: LIFTOFF.md's section on the entities' migration and seed.
    pub database: String,
    /// `secrets.env`: every secret the Edge Functions may read, each with its comment.
    pub secrets: String,
}

impl Texts {
    /// The texts from a JSON object of [`FILES`]' keys (what `offramp-texts.js` holds); `None`
    /// when one is missing. Read through `Value` rather than a derived `Deserialize`: that
    /// costs the WebAssembly module less.
    pub fn from_json(json: &str) -> Option<Texts> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let get = |key: &str| value.get(key)?.as_str().map(str::to_string);
        Some(Texts {
            client: get("client")?,
            browser: get("browser")?,
            server: get("server")?,
            core: get("core")?,
            storage: get("storage")?,
            notes: get("notes")?,
            lock: get("lock")?,
            database: get("database")?,
            secrets: get("secrets")?,
        })
    }
}

/// The files of this folder the texts come from, by field (what `build.sh` reads too).
pub const FILES: &[(&str, &str)] = &[
    ("client", "client.js"),
    ("browser", "browser.js"),
    ("server", "server.ts"),
    ("core", "core.ts"),
    ("storage", "storage.sql"),
    ("notes", "notes.md"),
    ("lock", "supabase-lock.json"),
    ("database", "database.md"),
    ("secrets", "secrets.env"),
];

#[cfg(feature = "embedded-texts")]
fn embedded() -> &'static Texts {
    use std::sync::LazyLock;
    static TEXTS: LazyLock<Texts> = LazyLock::new(|| Texts {
        client: include_str!("client.js").into(),
        browser: include_str!("browser.js").into(),
        server: include_str!("server.ts").into(),
        core: include_str!("core.ts").into(),
        storage: include_str!("storage.sql").into(),
        notes: include_str!("notes.md").into(),
        lock: include_str!("supabase-lock.json").into(),
        database: include_str!("database.md").into(),
        secrets: include_str!("secrets.env").into(),
    });
    &TEXTS
}

#[cfg(not(feature = "embedded-texts"))]
static PROVIDED: OnceLock<Texts> = OnceLock::new();

/// Hands the texts over (the extension, once per module instance); later calls change nothing.
/// With the texts compiled in, they win.
pub fn provide(texts: Texts) {
    #[cfg(not(feature = "embedded-texts"))]
    let _ = PROVIDED.set(texts);
    #[cfg(feature = "embedded-texts")]
    let _ = texts;
}

/// The texts, when this build has them.
pub fn texts() -> Option<&'static Texts> {
    #[cfg(feature = "embedded-texts")]
    return Some(embedded());
    #[cfg(not(feature = "embedded-texts"))]
    PROVIDED.get()
}
