//! How each built file is stored for a static app: its content type, its cache policy, and
//! whether it is an entry file (an HTML page, made live last and invalidated) or an asset.

/// An HTML page: what a visitor's address resolves to. Made live after every asset.
pub fn is_entry(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// A file whose name carries its content's hash (`assets/index-4f9a2c1b.js`, Vite's and most
/// bundlers' output): the same name never holds other bytes, so it may be cached for good.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.rsplit(['-', '.', '_'])
        .next()
        .filter(|part| part.len() != stem.len())
        .is_some_and(|part| {
            // A hash mixes digits or both cases (Vite's base64url hashes may hold no digit);
            // a plain word of eight letters does neither.
            let mixed = part.bytes().any(|b| b.is_ascii_digit())
                || (part.bytes().any(|b| b.is_ascii_uppercase())
                    && part.bytes().any(|b| b.is_ascii_lowercase()));
            part.len() >= 8
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && mixed
        })
}

/// `Cache-Control` for a static app: hashed assets immutable for a year, pages and everything
/// else revalidated on every visit (a new release shows at once).
pub fn cache_control(path: &str) -> &'static str {
    if is_hashed(path) && !is_entry(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// `Content-Type` by extension (what browsers need to run, style and show the app).
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_pages_are_not() {
        for hashed in [
            "assets/index-4f9a2c1b.js",
            "assets/index-BvXq1x2Z.css",
            "_next/static/chunks/main-3a4b5c6d7e.js",
            "assets/logo.a1b2c3d4e5.svg",
            "assets/index-BvXqkxZa.js",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
            assert_eq!(cache_control(hashed), "public, max-age=31536000, immutable");
        }
        for plain in [
            "index.html",
            "favicon.ico",
            "robots.txt",
            "assets/react-logo.svg",
            "app.js",
            "docs/getting-started.html",
        ] {
            assert!(!is_hashed(plain) || is_entry(plain), "{plain}");
            assert_eq!(cache_control(plain), "no-cache", "{plain}");
        }
        assert!(is_entry("index.html") && is_entry("about/INDEX.HTM"));
        assert!(!is_entry("assets/index-4f9a2c1b.js"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/a-12345678.JS"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("site.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
