//! The normalized `marketing` object.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A normalized `marketing` object: tracking keys with trimmed, non-empty values.
///
/// Made by [`Normalizer`](crate::Normalizer) (or [`Marketing::from_url`] and
/// [`Marketing::normalize`]). It serializes to the API's JSON with the keys in ascending byte
/// order, so the output is deterministic.
///
/// ```
/// use wegly_attribution::Marketing;
///
/// let n = Marketing::from_url("https://x.com.br/?utm_source=google&utm_term=crm");
/// assert_eq!(n.marketing.get("wegly_source"), Some("google"));
/// assert_eq!(n.marketing.get("utm_search_term"), Some("crm"));
/// assert_eq!(
///     serde_json::to_string(&n.marketing)?,
///     r#"{"url_conversion":"https://x.com.br/?utm_source=google&utm_term=crm","utm_search_term":"crm","utm_source":"google","utm_term":"crm","wegly_source":"google"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marketing {
    pub(crate) fields: BTreeMap<String, String>,
}

impl Marketing {
    /// The value of a tracking key, if present.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let n = Marketing::from_url("https://x.com.br/lp?utm_source=google");
    /// assert_eq!(n.marketing.get("wegly_source"), Some("google"));
    /// assert_eq!(n.marketing.get("utm_medium"), None);
    /// ```
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// The URL where the lead converted, trimmed.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let n = Marketing::from_url("  https://x.com.br/obrigado?gclid=AbC\n");
    /// assert_eq!(n.marketing.url_conversion(), Some("https://x.com.br/obrigado?gclid=AbC"));
    /// ```
    #[must_use]
    pub fn url_conversion(&self) -> Option<&str> {
        self.get("url_conversion")
    }

    /// The keys and values, in ascending key order.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// let n = Marketing::from_url("?gclid=A");
    /// let keys: Vec<&str> = n.marketing.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["gclid", "url_conversion"]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of keys.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// // `url_conversion`, `utm_source` and its `wegly_source` twin.
    /// assert_eq!(Marketing::from_url("https://x.com.br/lp?utm_source=google").marketing.len(), 3);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no tracking value is present.
    ///
    /// ```
    /// use wegly_attribution::Marketing;
    /// assert!(Marketing::from_url("   ").marketing.is_empty());
    /// assert!(!Marketing::from_url("https://x.com.br/lp").marketing.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl Serialize for Marketing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
