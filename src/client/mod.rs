//! An async client for the two API pages (cargo feature `client`, SPEC 4.6), on `reqwest` with
//! rustls (the `ring` provider and the Mozilla roots from `webpki-roots`: no OpenSSL, no
//! system certificate store).
//!
//! ```no_run
//! use std::time::Duration;
//! use wegly_attribution::client::Client;
//! use wegly_attribution::{BearerToken, CreateDealRequest, DealRef};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = BearerToken::new(std::env::var("WEGLY_TOKEN")?)?;
//! let client = Client::builder(token).timeout(Duration::from_secs(5)).build()?;
//!
//! let valid = CreateDealRequest::from_json(r#"{"title": "Implantação CRM"}"#.as_bytes())?;
//! let created = client.create_deal(&valid.request).await?;
//! let detail = client.get_deal(&DealRef::Id(created.id)).await?;
//! println!("{} is in stage {:?}", detail.title.unwrap_or_default(), detail.stage);
//! # Ok(())
//! # }
//! ```

mod error;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, ORIGIN, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

pub use error::ClientError;
/// The header value type that [`ClientBuilder::origin`] and [`Client::with_origin`] take: the
/// `http` crate's, as in `axum` and `reqwest`.
pub use reqwest::header::HeaderValue;
pub use retry::Retries;

use crate::deal::DEALS_PATH;
use crate::{BearerToken, CreateDealRequest, CreateDealResponse, DealDetail, DealRef};

/// The API's address, used unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.wegly.com.br";

/// The default timeout of one attempt: 10 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for `POST /integrations/external/deals` and `GET /integrations/external/deals/{id}`.
///
/// Cheap to clone (the connection pool is shared); build it once with [`Client::builder`].
///
/// - The token goes in `Authorization: Bearer …`, marked sensitive so that HTTP-level logging
///   does not print it.
/// - Each attempt has its own timeout ([`ClientBuilder::timeout`]), from sending to having read
///   the whole answer.
/// - Retries ([`Retries`]) never risk a second deal: a GET is retried on connection errors,
///   timeouts, 429, 502, 503 and 504; a POST only when the connection failed before any byte of
///   the request was written, and on 429 and 503, which say the request was not processed.
///   A POST that timed out or whose connection dropped after it was sent is not retried: the
///   API may have created the deal.
/// - Redirects are not followed: the API does not redirect, and a 3xx is reported as
///   [`ClientError::Status`].
/// - The API checks the key's `allowed_domain` on `Origin`: a gateway forwards the browser's
///   with [`Client::with_origin`].
///
/// ```no_run
/// use wegly_attribution::client::Client;
/// use wegly_attribution::{BearerToken, DealRef};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder(BearerToken::new("tok1")?).build()?;
/// let deal = client.get_deal(&DealRef::Code(123)).await?;
/// # let _ = deal;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    shared: Arc<Shared>,
    origin: Option<HeaderValue>,
}

/// What every clone of a [`Client`] shares.
#[derive(Debug)]
struct Shared {
    http: reqwest::Client,
    /// Without a trailing `/`; request paths start with one.
    base_url: String,
    /// `Bearer …`, marked sensitive.
    authorization: HeaderValue,
    timeout: Duration,
    retries: Retries,
}

/// Configures a [`Client`]: base URL, timeout, retries, a default `Origin`.
///
/// ```
/// use std::time::Duration;
/// use wegly_attribution::BearerToken;
/// use wegly_attribution::client::{Client, Retries};
///
/// let client = Client::builder(BearerToken::new("tok1")?)
///     .base_url("http://127.0.0.1:8787")
///     .timeout(Duration::from_secs(2))
///     .retries(Retries::new().attempts(2))
///     .build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:8787");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: BearerToken,
    base_url: String,
    timeout: Duration,
    retries: Retries,
    origin: Option<HeaderValue>,
}

impl ClientBuilder {
    /// The API's address (scheme, host, optional port and path prefix); default
    /// [`DEFAULT_BASE_URL`]. A trailing `/` is ignored.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::Client;
    ///
    /// let client = Client::builder(BearerToken::new("t")?).base_url("http://localhost:8787/").build()?;
    /// assert_eq!(client.base_url(), "http://localhost:8787");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The timeout of each attempt; default [`DEFAULT_TIMEOUT`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::Client;
    ///
    /// let client = Client::builder(BearerToken::new("t")?).timeout(Duration::from_millis(500)).build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy; default [`Retries::new`].
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::{Client, Retries};
    ///
    /// let client = Client::builder(BearerToken::new("t")?).retries(Retries::none()).build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// An `Origin` to send with every request (a server-side caller whose key has an
    /// `allowed_domain`); [`Client::with_origin`] sets one per call.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::{Client, HeaderValue};
    ///
    /// let client = Client::builder(BearerToken::new("t")?)
    ///     .origin(HeaderValue::from_static("https://www.wegly.com.br"))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn origin(mut self, origin: HeaderValue) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`ClientError::Config`] when the base URL is not an `http` or `https` URL (or
    /// has a query or fragment); [`ClientError::Transport`] when the HTTP client cannot be set
    /// up (its TLS configuration).
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::{Client, ClientError};
    ///
    /// let err = Client::builder(BearerToken::new("t")?).base_url("ftp://x").build().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid client configuration: base URL `ftp://x`: the scheme must be http or https");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Client, ClientError> {
        let base_url = check_base_url(&self.base_url)?;
        // Cannot fail: a `BearerToken` is RFC 6750 `b64token`, visible ASCII only.
        let mut authorization =
            HeaderValue::from_str(&self.token.header_value()).map_err(|_| ClientError::Config {
                reason: "the token is not a valid header value".to_owned(),
            })?;
        authorization.set_sensitive(true);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::Transport)?;
        Ok(Client {
            shared: Arc::new(Shared {
                http,
                base_url,
                authorization,
                timeout: self.timeout,
                retries: self.retries,
            }),
            origin: self.origin,
        })
    }
}

/// The base URL without its trailing `/`, or why it cannot be one.
fn check_base_url(input: &str) -> Result<String, ClientError> {
    let invalid = |reason: &str| ClientError::Config {
        reason: format!("base URL `{}`: {reason}", crate::error::excerpt(input)),
    };
    let url = url::Url::parse(input.trim()).map_err(|err| invalid(&err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a query or fragment is not allowed"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl Client {
    /// Starts configuring a client with the integration token.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::Client;
    ///
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// assert_eq!(client.base_url(), "https://api.wegly.com.br");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(token: BearerToken) -> ClientBuilder {
        ClientBuilder {
            token,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            retries: Retries::new(),
            origin: None,
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::Client;
    ///
    /// let client = Client::builder(BearerToken::new("t")?).build()?;
    /// assert_eq!(client.base_url(), wegly_attribution::client::DEFAULT_BASE_URL);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// This client sending `origin` as `Origin` (or no `Origin` for `None`): a cheap copy that
    /// shares the connection pool, for one call on behalf of one browser request.
    ///
    /// ```no_run
    /// use wegly_attribution::client::{Client, HeaderValue};
    /// use wegly_attribution::{BearerToken, CreateDealRequest};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T"}"#)?;
    /// let browser = HeaderValue::from_static("https://landing.wegly.com.br");
    /// client.with_origin(browser).create_deal(&valid.request).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_origin(&self, origin: impl Into<Option<HeaderValue>>) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            origin: origin.into(),
        }
    }

    /// `POST /integrations/external/deals`: creates a deal.
    ///
    /// Retried only when the API cannot have processed it (see [`Client`]).
    ///
    /// # Errors
    ///
    /// [`ClientError`]: the API's refusal by status (`Rejected` for 422, with its errors when
    /// the body has that shape), a transport failure, or an answer that is not
    /// `{id, code, title}`.
    ///
    /// ```no_run
    /// use wegly_attribution::client::{Client, ClientError};
    /// use wegly_attribution::{BearerToken, CreateDealRequest};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// let valid = CreateDealRequest::from_json(r#"{"title": "Implantação CRM"}"#.as_bytes())?;
    /// match client.create_deal(&valid.request).await {
    ///     Ok(created) => println!("deal {} ({})", created.code, created.id),
    ///     Err(ClientError::Rejected { rejected: Some(rejected), .. }) => eprintln!("{rejected}"),
    ///     Err(err) => return Err(err.into()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_deal(
        &self,
        request: &CreateDealRequest,
    ) -> Result<CreateDealResponse, ClientError> {
        // OK to default: a request serializes strings, numbers and JSON values into a `Vec`,
        // which cannot fail.
        let body = serde_json::to_vec(request).unwrap_or_default();
        self.call(Method::POST, DEALS_PATH, Some(body)).await
    }

    /// `GET /integrations/external/deals/{id}`: reads a deal by UUID or numeric code.
    ///
    /// # Errors
    ///
    /// [`ClientError`]: `NotFound` for an unknown deal, the other statuses, a transport
    /// failure, or an answer that is not a deal.
    ///
    /// ```no_run
    /// use wegly_attribution::client::{Client, ClientError};
    /// use wegly_attribution::{BearerToken, DealRef};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// match client.get_deal(&DealRef::parse("123")?).await {
    ///     Ok(deal) => println!("{:?}", deal.status),
    ///     Err(ClientError::NotFound { .. }) => println!("no such deal"),
    ///     Err(err) => return Err(err.into()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_deal(&self, deal: &DealRef) -> Result<DealDetail, ClientError> {
        self.call(Method::GET, &deal.path(), None).await
    }

    /// Sends with retries and decodes a success.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, ClientError> {
        let bytes = self.send(method, path, body).await?;
        serde_json::from_slice(&bytes).map_err(|source| ClientError::Decode {
            source,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    /// The retry loop: the body of a success, or the last failure.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, ClientError> {
        let shared = &*self.shared;
        let url = format!("{}{path}", shared.base_url);
        let idempotent = method == Method::GET;
        let mut attempt = 1;
        loop {
            let last = attempt >= shared.retries.get_attempts();
            let wait = match self.attempt(&method, &url, body.as_ref()).await {
                Ok(body) => return Ok(body),
                Err(Failure::Status {
                    status,
                    retry_after,
                    body,
                }) => {
                    let retried = if idempotent {
                        retry::retry_get_status(status)
                    } else {
                        retry::retry_post_status(status)
                    };
                    let wait = match retry_after {
                        Some(wait) => {
                            (wait <= shared.retries.get_max_retry_after()).then_some(wait)
                        }
                        None => Some(shared.retries.backoff_before(attempt)),
                    };
                    match wait {
                        Some(wait) if retried && !last => wait,
                        // Not retried, out of attempts, or asked to wait longer than we do.
                        _ => return Err(ClientError::from_status(status, body, retry_after)),
                    }
                }
                Err(Failure::Transport(err)) => {
                    // A GET may be sent twice. A POST only when no byte of it left:
                    // `is_connect` is set by the connector, before the request is written; a
                    // timeout or a dropped connection after that may follow a created deal.
                    let retried = if idempotent {
                        !err.is_builder() && !err.is_redirect()
                    } else {
                        err.is_connect()
                    };
                    if last || !retried {
                        return Err(ClientError::Transport(err));
                    }
                    shared.retries.backoff_before(attempt)
                }
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: the body of a success, or what went wrong.
    async fn attempt(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Vec<u8>>,
    ) -> Result<Vec<u8>, Failure> {
        let shared = &*self.shared;
        let mut request = shared
            .http
            .request(method.clone(), url)
            .timeout(shared.timeout)
            .header(AUTHORIZATION, shared.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        if let Some(origin) = &self.origin {
            request = request.header(ORIGIN, origin.clone());
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let response = request.send().await.map_err(Failure::Transport)?;
        let status = response.status();
        let retry_after = retry::parse_retry_after(response.headers());
        let bytes = response.bytes().await.map_err(Failure::Transport)?;
        if status.is_success() {
            Ok(bytes.to_vec())
        } else {
            Err(Failure::Status {
                status,
                retry_after,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            })
        }
    }
}

/// `User-Agent`: the crate and its version.
const USER_AGENT_VALUE: &str = concat!("wegly-attribution/", env!("CARGO_PKG_VERSION"));

/// One failed attempt.
enum Failure {
    /// The API answered with a status that is not a success.
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
        body: String,
    },
    /// No answer, or no whole answer.
    Transport(reqwest::Error),
}
