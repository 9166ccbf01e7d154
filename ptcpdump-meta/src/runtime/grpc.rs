//! gRPC channel over a unix socket, shared by the CRI and containerd clients.

use std::path::{Path, PathBuf};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint, Uri};
use tower::service_fn;

/// Connects to `path` within `timeout`. Requests on the channel time out after
/// `request_timeout` when given (not for event streams, whose headers may come late).
pub(crate) async fn unix_channel(
    path: &Path,
    timeout: Duration,
    request_timeout: Option<Duration>,
) -> Result<Channel, String> {
    // Accept the `unix:///run/x.sock` form users copy from crictl and containerd configs.
    let path = strip_unix_scheme(path);
    let path = path.as_path();
    if !path.exists() {
        return Err("no such socket".to_string());
    }
    let path: PathBuf = path.to_path_buf();
    // The URI is required by tonic but unused: the connector below dials the socket.
    let mut endpoint = Endpoint::from_static("http://[::]:50051").connect_timeout(timeout);
    if let Some(t) = request_timeout {
        endpoint = endpoint.timeout(t);
    }
    let connect = endpoint.connect_with_connector(service_fn(move |_: Uri| {
        let p = path.clone();
        async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(p).await?)) }
    }));
    match tokio::time::timeout(timeout, connect).await {
        Ok(Ok(ch)) => Ok(ch),
        Ok(Err(e)) => Err(error_chain(&e)),
        Err(_) => Err(format!("timed out after {timeout:?}")),
    }
}

/// `e` and its sources on one line (tonic's own Display hides the interesting part).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = inner.source();
    }
    s
}

/// `unix:///run/x.sock` -> `/run/x.sock`; other paths unchanged.
pub(crate) fn strip_unix_scheme(path: &Path) -> PathBuf {
    match path.to_str().and_then(|s| s.strip_prefix("unix://")) {
        Some(rest) => PathBuf::from(rest),
        None => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_scheme() {
        assert_eq!(
            strip_unix_scheme(Path::new("unix:///run/a.sock")),
            Path::new("/run/a.sock")
        );
        assert_eq!(
            strip_unix_scheme(Path::new("/run/a.sock")),
            Path::new("/run/a.sock")
        );
    }

    #[tokio::test]
    async fn missing_socket_is_reported() {
        let e = unix_channel(
            Path::new("/nonexistent/x.sock"),
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap_err();
        assert_eq!(e, "no such socket");
    }
}
