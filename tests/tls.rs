//! TLS and DNS faults (issue 12, item 14): an HTTPS listener on loopback
//! with certificates from `fixtures/tls/` (an invented CA; `build.py`
//! regenerates them), and a name under `.invalid`, which never resolves
//! (RFC 6761). Each fault is a clear per-URL error; the fetcher goes on.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;
use url::Url;
use wirecopy::fetch::{FetchConfig, FetchErrorKind, Fetcher, Request, Response};

use crate::util::fixtures;

fn tls_file(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("tls").join(name)).expect("TLS fixture")
}

/// Serves `stem`.crt/.key over HTTPS on 127.0.0.1; every request gets a
/// small HTML page. Returns the origin.
async fn https_server(stem: &str) -> String {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&tls_file(&format!("{stem}.crt")))
            .collect::<Result<_, _>>()
            .expect("certificate PEM");
    let key = PrivateKeyDer::from_pem_slice(&tls_file(&format!("{stem}.key"))).expect("key PEM");
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("https://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let body = "<html><body><p>hello over TLS</p></body></html>";
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    origin
}

fn fetcher(trust_test_ca: bool) -> Fetcher {
    Fetcher::new(FetchConfig {
        user_agent: "wirecopy-test/1.0".into(),
        connect_timeout: Duration::from_secs(3),
        total_timeout: Duration::from_secs(5),
        retries: 0,
        obey_robots: false,
        extra_roots: if trust_test_ca {
            vec![tls_file("ca.crt")]
        } else {
            Vec::new()
        },
        ..FetchConfig::default()
    })
    .expect("fetcher")
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<Response, wirecopy::fetch::FetchError> {
    fetcher
        .fetch(&Request::new(Url::parse(url).expect("url")))
        .await
}

/// The error's message, asserting it is a connect error for `url`.
fn connect_error(result: Result<Response, wirecopy::fetch::FetchError>, url: &str) -> String {
    let error = match result {
        Ok(_) => panic!("{url}: fetched, want an error"),
        Err(error) => error,
    };
    assert!(
        matches!(error.kind(), FetchErrorKind::Connect(_)),
        "{url}: {error}"
    );
    let message = error.to_string();
    assert!(message.starts_with(url), "names the URL: {message}");
    message
}

// See: issue 12, item 14. The loopback tests never reached TLS or DNS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r12_tls_and_dns_faults_are_clear_per_url_errors() {
    let valid = https_server("valid").await;
    let expired = https_server("expired").await;
    let other = https_server("other_name").await;
    let self_signed = https_server("self_signed").await;
    let trusting = fetcher(true);

    // The test CA is trusted: a good certificate fetches.
    let ok = fetch(&trusting, &format!("{valid}/a"))
        .await
        .expect("valid certificate");
    assert!(matches!(ok, Response::Page(_)));

    let cases = [
        (
            &trusting,
            format!("{expired}/a"),
            "TLS: the certificate has expired",
        ),
        (
            &trusting,
            format!("{other}/a"),
            "TLS: the certificate is for another host name",
        ),
        (
            &trusting,
            format!("{self_signed}/a"),
            "TLS: the certificate is not trusted (self-signed, or its issuer is unknown)",
        ),
        (
            &trusting,
            "http://wirecopy-test.invalid/a".to_string(),
            "DNS: the host name",
        ),
    ];
    for (fetcher, url, want) in cases {
        let message = connect_error(fetch(fetcher, &url).await, &url);
        assert!(message.contains(want), "{message}");
    }
    // Without the test CA, even the good certificate is not trusted.
    let url = format!("{valid}/b");
    let message = connect_error(fetch(&fetcher(false), &url).await, &url);
    assert!(message.contains("not trusted"), "{message}");

    // The others go on: the same fetcher still fetches after all those faults.
    let again = fetch(&trusting, &format!("{valid}/c"))
        .await
        .expect("still fetches");
    assert!(matches!(again, Response::Page(_)));
}
