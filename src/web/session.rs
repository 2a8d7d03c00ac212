//! Sessions, CSRF tokens and login tokens, all derived from one secret.
//!
//! A [`Keys`] holds 32 random bytes drawn when the server starts; nothing
//! is stored per session. A browser's session is a random id in the
//! `wc_session` cookie (`HttpOnly`, `SameSite=Strict`, set on its first
//! visit). From the id and the secret come, by HMAC-SHA256:
//!
//! * its CSRF token, `HMAC(secret, "csrf:" + session)`, which every form
//!   carries in a hidden `csrf` field: a POST whose field does not match its
//!   own session cookie is refused, so another site can neither read nor
//!   forge it (and `SameSite=Strict` keeps the cookie off cross-site posts);
//! * when `--token` is set, its login proof, `HMAC(secret, "auth:" +
//!   session)`, in the `wc_auth` cookie after the login form took the token.
//!
//! Restarting the server draws a new secret, which logs everyone out and
//! voids old forms: a reload gives fresh ones. Comparisons of secrets run
//! in constant time.

use std::io::Read;

use sha2::{Digest, Sha256};

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "wc_session";
/// The login cookie's name.
pub(crate) const AUTH_COOKIE: &str = "wc_auth";

/// The server's secret; see the module docs.
#[derive(Clone)]
pub(crate) struct Keys {
    secret: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> std::io::Result<()> {
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

impl Keys {
    /// Draws a new secret.
    ///
    /// Errors when the system's random source cannot be read.
    pub(crate) fn generate() -> std::io::Result<Keys> {
        let mut secret = [0u8; 32];
        random_bytes(&mut secret)?;
        Ok(Keys { secret })
    }

    /// A new random session id (hex).
    pub(crate) fn new_session() -> std::io::Result<String> {
        let mut id = [0u8; 16];
        random_bytes(&mut id)?;
        Ok(hex(&id))
    }

    /// The CSRF token of `session`.
    pub(crate) fn csrf(&self, session: &str) -> String {
        hex(&hmac(&self.secret, format!("csrf:{session}").as_bytes()))
    }

    /// The login proof of `session`.
    pub(crate) fn auth(&self, session: &str) -> String {
        hex(&hmac(&self.secret, format!("auth:{session}").as_bytes()))
    }
}

/// Returns true if and only if `a` and `b` are equal, in time that depends
/// on their lengths only.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Returns true if and only if `s` looks like a session id this server made
/// (32 lowercase hex digits), so a forged cookie cannot smuggle characters
/// into the pages.
pub(crate) fn valid_session(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// HMAC-SHA256 (RFC 2104).
fn hmac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize()
        .into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads cookie `name` from a `Cookie` header value.
pub(crate) fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2_shape() {
        // RFC 4231 test case 2 uses a 4-byte key; ours are 32 bytes, padded
        // with zeros exactly as HMAC pads a short key, so the vector holds.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(
            hex(&hmac(&key, b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn tokens_are_tied_to_the_session_and_the_secret() {
        let keys = Keys::generate().expect("random source");
        let other = Keys::generate().expect("random source");
        let a = Keys::new_session().expect("random source");
        let b = Keys::new_session().expect("random source");
        assert!(valid_session(&a) && a != b);
        assert_eq!(keys.csrf(&a), keys.csrf(&a));
        assert_ne!(keys.csrf(&a), keys.csrf(&b));
        assert_ne!(keys.csrf(&a), other.csrf(&a));
        assert_ne!(keys.csrf(&a), keys.auth(&a));
        assert!(same(&keys.csrf(&a), &keys.csrf(&a)));
        assert!(!same(&keys.csrf(&a), &keys.csrf(&b)));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn reads_cookies_and_refuses_odd_sessions() {
        let h = "a=1; wc_session=0123456789abcdef0123456789abcdef; wc_auth=x";
        assert_eq!(
            cookie(h, "wc_session"),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(cookie(h, "wc_auth"), Some("x"));
        assert_eq!(cookie(h, "b"), None);
        assert!(!valid_session("<script>"));
        assert!(!valid_session("0123456789ABCDEF0123456789ABCDEF"));
    }
}
