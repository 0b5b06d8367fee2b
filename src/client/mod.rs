//! An async client for the two API pages (cargo feature `client`, `docs/rules.md` §4.6), on `reqwest` with
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
mod schedule;

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, ORIGIN, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

pub use error::{ApiError, ClientBuildError, ClientError, Delivery};
/// The header value type that [`ClientBuilder::origin`] and [`Client::with_origin`] take: the
/// `http` crate's, as in `axum` and `reqwest`.
pub use reqwest::header::HeaderValue;
pub use retry::Retries;
use schedule::Schedule;

use crate::deal::DEALS_PATH;
use crate::response::{CreateDealResponse, DealDetail};
use crate::{BearerToken, CreateDealRequest, DealRef};

/// The API's address, used unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.wegly.com.br";

/// The default timeout of one attempt: 10 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default limit on connecting to the API, within an attempt's timeout: 2 seconds. A
/// connection that is not made in time has sent nothing, so even a POST is retried.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// A client for `POST /integrations/external/deals` and `GET /integrations/external/deals/{id}`.
///
/// Cheap to clone (the connection pool is shared); build it once with [`Client::builder`].
///
/// - The token goes in `Authorization: Bearer …`, marked sensitive so that HTTP-level logging
///   does not print it.
/// - Each attempt has its own timeout ([`ClientBuilder::timeout`]), from sending to having read
///   the whole answer, and connecting is limited to [`ClientBuilder::connect_timeout`]. A
///   call can also have a deadline ([`Client::with_deadline`]) that bounds everything,
///   retries and waits included.
/// - Retries ([`Retries`]) never risk a second deal: a GET is retried on connection errors,
///   timeouts, 429, 502, 503 and 504; a POST only when the connection failed before any byte of
///   the request was written (a refused connection, or one not made within the connect
///   limit), and on 429 and 503, which say the request was not processed. A POST that timed
///   out or whose connection dropped after it was sent is not retried: the API may have
///   created the deal. [`ClientError::delivery`] tells the caller which case it is.
/// - Redirects are not followed: the API does not redirect, and a 3xx is reported as
///   [`ClientError::Api`].
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
    deadline: Option<Instant>,
}

/// What every clone of a [`Client`] shares.
#[derive(Debug)]
struct Shared {
    http: reqwest::Client,
    /// Without a trailing `/`; request paths start with one.
    base_url: String,
    /// The create page's URL, parsed once: a gateway posts to it for every deal.
    deals_url: reqwest::Url,
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
    connect_timeout: Duration,
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

    /// The limit on making a connection, within each attempt's timeout; default
    /// [`DEFAULT_CONNECT_TIMEOUT`]. An attempt that could not connect in time sent nothing and
    /// is retried like a refused connection, even for a POST.
    ///
    /// ```
    /// use std::time::Duration;
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::Client;
    ///
    /// let client = Client::builder(BearerToken::new("t")?).connect_timeout(Duration::from_millis(500)).build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
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
    /// [`ClientBuildError::Config`] when the base URL is not an `http` or `https` URL (or has
    /// a query or fragment); [`ClientBuildError::Http`] when the HTTP client cannot be set up
    /// (its TLS configuration).
    ///
    /// ```
    /// use wegly_attribution::BearerToken;
    /// use wegly_attribution::client::{Client, ClientBuildError};
    ///
    /// let err = Client::builder(BearerToken::new("t")?).base_url("ftp://x").build().unwrap_err();
    /// assert!(matches!(err, ClientBuildError::Config { .. }));
    /// # Ok::<(), wegly_attribution::InvalidToken>(())
    /// ```
    pub fn build(self) -> Result<Client, ClientBuildError> {
        let base_url = check_base_url(&self.base_url)?;
        let deals_url = reqwest::Url::parse(&format!("{base_url}{DEALS_PATH}")).map_err(|err| {
            ClientBuildError::Config {
                reason: format!("base URL: {err}"),
            }
        })?;
        // Cannot fail: a `BearerToken` is RFC 6750 `b64token`, visible ASCII only.
        let mut authorization =
            HeaderValue::from_str(&self.token.header_value()).map_err(|_| {
                ClientBuildError::Config {
                    reason: "the token is not a valid header value".to_owned(),
                }
            })?;
        authorization.set_sensitive(true);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(ClientBuildError::Http)?;
        Ok(Client {
            shared: Arc::new(Shared {
                http,
                base_url,
                deals_url,
                authorization,
                timeout: self.timeout,
                retries: self.retries,
            }),
            origin: self.origin,
            deadline: None,
        })
    }
}

/// The base URL without its trailing `/`, or why it cannot be one.
fn check_base_url(input: &str) -> Result<String, ClientBuildError> {
    let invalid = |reason: &str| ClientBuildError::Config {
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
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
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
            deadline: self.deadline,
        }
    }

    /// This client finishing every call by `deadline` (or with no deadline for `None`): a
    /// cheap copy that shares the connection pool.
    ///
    /// Each attempt's timeout is cut to what is left; a wait for a retry that would end past
    /// the deadline is not made, and the call ends with the last attempt's failure; a call
    /// made after the deadline sends nothing and fails with [`ClientError::Deadline`]. A
    /// gateway that owes its browser an answer within 15 s sets the deadline from when the
    /// request arrived.
    ///
    /// ```no_run
    /// use std::time::{Duration, Instant};
    /// use wegly_attribution::client::Client;
    /// use wegly_attribution::{BearerToken, CreateDealRequest};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// let valid = CreateDealRequest::from_json(br#"{"title": "T"}"#)?;
    /// let within = client.with_deadline(Instant::now() + Duration::from_secs(15));
    /// within.create_deal(&valid.request).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_deadline(&self, deadline: impl Into<Option<Instant>>) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            origin: self.origin.clone(),
            deadline: deadline.into(),
        }
    }

    /// `POST /integrations/external/deals`: creates a deal.
    ///
    /// Retried only when the API cannot have processed it (see [`Client`]).
    ///
    /// # Errors
    ///
    /// [`ClientError`]: the API's answer when it is not a success (its errors with
    /// [`ApiError::rejected`] for a 422), no connection, a deadline, a transport failure, or
    /// an answer that is not `{id, code, title}`. [`ClientError::delivery`] says whether the
    /// deal was created.
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
    ///     Err(ClientError::Api(api)) if api.status().as_u16() == 422 => eprintln!("{api}"),
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
        self.call(Method::POST, self.shared.deals_url.clone(), Some(body))
            .await
    }

    /// `GET /integrations/external/deals/{id}`: reads a deal by UUID or numeric code.
    ///
    /// # Errors
    ///
    /// [`ClientError`]: [`ClientError::Api`] with 404 for an unknown deal, the other
    /// statuses, no connection, a deadline, a transport failure, or an answer that is not a
    /// deal.
    ///
    /// ```no_run
    /// use wegly_attribution::client::{Client, ClientError};
    /// use wegly_attribution::{BearerToken, DealRef};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::builder(BearerToken::new("tok1")?).build()?;
    /// match client.get_deal(&DealRef::parse("123")?).await {
    ///     Ok(deal) => println!("{:?}", deal.status),
    ///     Err(ClientError::Api(api)) if api.status().as_u16() == 404 => println!("no such deal"),
    ///     Err(err) => return Err(err.into()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_deal(&self, deal: &DealRef) -> Result<DealDetail, ClientError> {
        let mut url = self.shared.deals_url.clone();
        // OK to ignore the `Err`: only a URL that cannot be a base has no segments, and the
        // base URL was checked to be http or https.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(&deal.to_string());
        }
        self.call(Method::GET, url, None).await
    }

    /// Sends with retries and decodes a success.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: reqwest::Url,
        body: Option<Vec<u8>>,
    ) -> Result<T, ClientError> {
        let (status, bytes) = self.send(method, url, body).await?;
        serde_json::from_slice(&bytes).map_err(|source| ClientError::Decode {
            status,
            source,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    /// The retry loop ([`Schedule`]): the status and body of a success, or the last failure.
    async fn send(
        &self,
        method: Method,
        url: reqwest::Url,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let shared = &*self.shared;
        Schedule::new(shared.retries, shared.timeout, self.deadline, &method)
            .run(|timeout| self.attempt(&method, &url, body.as_ref(), timeout))
            .await
    }

    /// One attempt: the status and body of a success, or what went wrong (`Api`, `Connect`
    /// or `Transport`).
    async fn attempt(
        &self,
        method: &Method,
        url: &reqwest::Url,
        body: Option<&Vec<u8>>,
        timeout: Duration,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let shared = &*self.shared;
        let mut request = shared
            .http
            .request(method.clone(), url.clone())
            .timeout(timeout)
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
        // `is_connect` is set by the connector, before any byte of the request is written
        // (a connect timeout included); anything else may come after the request was sent.
        let transport = |err: reqwest::Error| {
            if err.is_connect() {
                ClientError::Connect(err)
            } else {
                ClientError::Transport(err)
            }
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let retry_after = retry::parse_retry_after(response.headers());
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // The body of an answer is read after the headers: a failure here is never `Connect`.
        let bytes = response.bytes().await.map_err(ClientError::Transport)?;
        if status.is_success() {
            Ok((status, bytes.to_vec()))
        } else {
            Err(ClientError::Api(ApiError::from_parts(
                status,
                content_type,
                String::from_utf8_lossy(&bytes).into_owned(),
                retry_after,
            )))
        }
    }
}

/// `User-Agent`: the crate and its version.
const USER_AGENT_VALUE: &str = concat!("wegly-attribution/", env!("CARGO_PKG_VERSION"));
