#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn reason(s: &str) -> String {
    Url::parse(s).unwrap_err().reason().to_owned()
}

#[test]
fn accessors() {
    let u = url("/path");
    assert_eq!(
        (
            u.scheme(),
            u.host().as_ref(),
            u.hostname().as_ref(),
            u.port()
        ),
        ("", "", "", "")
    );
    assert_eq!(url("https://example.com/").scheme(), "https");
    assert_eq!(url("HTTPS://example.com/").scheme(), "https");
    assert_eq!(url("https://example.com:80/").host(), "example.com:80");
    assert_eq!(url("https://example.com:80/").hostname(), "example.com");
    assert_eq!(url("https://example.com:80/").port(), "80");
    assert_eq!(url("https://example.com/").port(), "");
    assert_eq!(url("https://[::1]:80/").host(), "[::1]:80");
    assert_eq!(url("https://[::1]/").host(), "[::1]");
    assert_eq!(url("https://[::1]/").hostname(), "::1");
    assert_eq!(url("https://127.0.0.1/").hostname(), "127.0.0.1");
    assert_eq!(
        url("http://[fe80::1%25en0]:8080/").hostname(),
        "fe80::1%en0"
    );
    assert_eq!(url("http://host:/").port(), "");
    assert_eq!(url("http://host:/").hostname(), "host");
}

#[test]
fn escaped_paths() {
    assert_eq!(url("https://example.com/path").escaped_path(), "/path");
    assert_eq!(
        url("https://example.com/with space/").escaped_path(),
        "/with%20space/"
    );
    assert_eq!(url("https://example.com").escaped_path(), "");
    assert_eq!(url("https://example.com/a%2fb").escaped_path(), "/a%2fb");
    assert_eq!(url("https://example.com/%41").escaped_path(), "/%41");
    assert_eq!(
        url("https://example.com/caf%C3%A9").escaped_path(),
        "/caf%C3%A9"
    );
    assert_eq!(url("*").escaped_path(), "*");
}

#[test]
fn queries() {
    let q = |s: &str| url(s).query();
    let pairs = |v: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(k, vs)| (k.to_string(), vs.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    assert_eq!(
        q("https://example.com/path?k1=a&k2=b&k2=c"),
        pairs(&[("k1", &["a"]), ("k2", &["b", "c"])])
    );
    assert_eq!(
        q("https://example.com/path?key with spaces=value with spaces"),
        pairs(&[("key with spaces", &["value with spaces"])])
    );
    assert!(q("https://example.com/path?").is_empty());
    assert!(q("https://example.com/path").is_empty());
    assert_eq!(q("/p?a=1;b=2&c=3"), pairs(&[("c", &["3"])]));
    assert_eq!(q("/p?a=%zz&b=1+2%20"), pairs(&[("b", &["1 2 "])]));
    assert_eq!(
        q("/p?a&=x&&b="),
        pairs(&[("a", &[""]), ("", &["x"]), ("b", &[""])])
    );
    let many = format!("/p?{}", vec!["a=1"; 10_001].join("&"));
    assert!(q(&many).is_empty());
    let enough = format!("/p?{}", vec!["a=1"; 10_000].join("&"));
    assert_eq!(q(&enough)[0].1.len(), 10_000);
}

#[test]
fn validity() {
    assert!(Url::is_valid(
        "https://user:pass@example.com:80/path?query=val#fragment"
    ));
    assert!(Url::is_valid("/path"));
    assert!(Url::is_valid("*"));
    assert!(Url::is_valid("mailto:someone@example.com"));
    assert!(!Url::is_valid("https://a:b:c/"));
    assert!(!Url::is_valid("../relative-path"));
    assert!(!Url::is_valid("relative"));
    assert!(!Url::is_valid(""));
}

#[test]
fn error_texts() {
    assert_eq!(
        Url::parse("../relative-path").unwrap_err().to_string(),
        "URL parse error during conversion from string: parse \"../relative-path\": invalid URI for request"
    );
    assert_eq!(reason(""), "empty url");
    assert_eq!(reason(":foo"), "missing protocol scheme");
    assert_eq!(
        reason("http://a\nb/"),
        "net/url: invalid control character in URL"
    );
    assert_eq!(reason("https://a:b:c/"), "invalid port \":b:c\" after host");
    assert_eq!(reason("http://::1/"), "invalid port \"::1\" after host");
    assert_eq!(
        reason("http://host:port/"),
        "invalid port \":port\" after host"
    );
    assert_eq!(reason("http://[1.2.3.4]/"), "invalid IP-literal");
    assert_eq!(reason("http://a[::1]/"), "invalid IP-literal");
    assert_eq!(reason("http://[::1/"), "missing ']' in host");
    assert_eq!(
        reason("http://[zz]/"),
        "invalid host: ParseAddr(\"zz\"): unable to parse IP"
    );
    assert_eq!(
        reason("http://x y/"),
        "invalid character \" \" in host name"
    );
    assert_eq!(reason("http://%41/"), "invalid URL escape \"%41\"");
    assert_eq!(reason("http://h/%zz"), "invalid URL escape \"%zz\"");
    assert_eq!(reason("http://h/%4"), "invalid URL escape \"%4\"");
    assert_eq!(reason("http://a b@h/"), "net/url: invalid userinfo");
    // Other schemes keep the last colon as the port separator.
    assert_eq!(url("ftp://a:b:1/").port(), "1");
}

#[test]
fn strings() {
    for (input, expect) in [
        (
            "https://example.com/with space/",
            "https://example.com/with%20space/",
        ),
        ("HTTPS://Example.com", "https://Example.com"),
        ("http:/path", "http:/path"),
        ("http://a@b@c/", "http://a%40b@c/"),
        ("http://u:p@h/", "http://u:p@h/"),
        ("mailto:x@y", "mailto:x@y"),
        ("/a%2fb?x=1#frag ment", "/a%2fb?x=1#frag%20ment"),
        ("/p?", "/p?"),
        ("https://h/#a%2Fb", "https://h/#a%2Fb"),
        ("http://[fe80::1%25en0]/", "http://[fe80::1%25en0]/"),
        // From Go's URL tests.
        (
            "http://www.google.com/?q=go+language",
            "http://www.google.com/?q=go+language",
        ),
        ("http://www.google.com/a%20b", "http://www.google.com/a%20b"),
        (
            "http://%3Fam:pa%3Fsword@google.com",
            "http://%3Fam:pa%3Fsword@google.com",
        ),
        (
            "http://j@ne:password@google.com",
            "http://j%40ne:password@google.com",
        ),
        (
            "http://www.google.com/?q=go%20language",
            "http://www.google.com/?q=go%20language",
        ),
        ("http:///foo", "http:///foo"),
    ] {
        assert_eq!(url(input).to_string(), expect, "{input}");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(s in "[a-z:/?#%@\\[\\]0-9. +&=;A-F]{0,30}") {
            if let Ok(u) = Url::parse(&s) {
                let _ = (u.to_string(), u.escaped_path(), u.query(), u.hostname(), u.port());
            }
            let _ = Url::is_valid(&s);
        }

        #[test]
        fn string_reparses_to_the_same(path in "(/[a-z0-9 %]{0,6}){1,3}", q in "[a-z0-9=&]{0,8}") {
            if let Ok(u) = Url::parse(&format!("https://example.com{path}?{q}")) {
                let again = url(&u.to_string());
                prop_assert_eq!(again.to_string(), u.to_string());
                prop_assert_eq!(again.query(), u.query());
            }
        }
    }
}
