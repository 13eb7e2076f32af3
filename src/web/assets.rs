//! The front-end files, embedded in the binary and served at content-hashed
//! addresses (`/static/{hash}/{name}`), so a browser may keep them forever and
//! a new release is never mixed with an old cached file.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

pub struct Asset {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    pub hash: u64,
}

/// FNV-1a over the file, computed at compile time.
const fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x100_0000_01b3);
        i += 1;
    }
    hash
}

macro_rules! asset {
    ($name:literal, $path:literal, $type:literal) => {{
        const BYTES: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path));
        Asset {
            name: $name,
            bytes: BYTES,
            content_type: $type,
            hash: fnv1a64(BYTES),
        }
    }};
}

pub static ASSETS: &[Asset] = &[
    asset!(
        "htmx.min.js",
        "assets/vendor/htmx.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "hx-sse.min.js",
        "assets/vendor/hx-sse.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!("app.js", "assets/app.js", "text/javascript; charset=utf-8"),
    asset!("app.css", "assets/app.css", "text/css; charset=utf-8"),
];

/// The address of an embedded file.
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{:016x}/{}", a.hash, a.name),
        None => format!("/static/missing/{name}"),
    }
}

/// `GET /static/{hash}/{name}`: the file, cacheable for a year; 404 for a
/// stale or unknown hash.
pub async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (hash, name) = path.into_inner();
    match ASSETS
        .iter()
        .find(|a| a.name == name && format!("{:016x}", a.hash) == hash)
    {
        Some(a) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, a.content_type))
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(a.bytes),
        None => HttpResponse::NotFound()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body("Not found"),
    }
}
