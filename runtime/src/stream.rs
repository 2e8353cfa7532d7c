//! Streamed downloads: the body of a `binary` success response.

use std::fmt;

use bytes::Bytes;

use crate::error::Error;

/// The body of a binary (download) success response, read as it arrives.
///
/// Returned by [`Client::execute_download`](crate::Client::execute_download) as soon as the
/// response's status and headers are in; the body is not read until asked for. The
/// client's `max_response_bytes` does not apply (a download may be large), nor does its
/// overall attempt timeout; each read is still bounded by the read timeout. Once a body has
/// started, a failure is returned as is: it is never retried.
pub struct ByteStream {
    response: reqwest::Response,
    url: String,
    request_id: Option<String>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("url", &self.url)
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(
        response: reqwest::Response,
        url: String,
        request_id: Option<String>,
    ) -> Self {
        ByteStream {
            response,
            url,
            request_id,
        }
    }

    /// The `Content-Length` of the body, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The next chunk of the body, or `None` at its end. A failure while reading (a
    /// timeout, a connection reset) is [`Error::Timeout`] or [`Error::Transport`].
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.response
            .chunk()
            .await
            .map_err(|e| crate::client::classify(e, &self.url).0)
    }

    /// Reads the whole body into memory, without async (see [`crate::blocking`]).
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn collect_blocking(self) -> Result<Vec<u8>, Error> {
        crate::blocking::block_on(self.collect())
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// Reads the whole body, failing with [`Error::ResponseTooLarge`] as soon as it
    /// exceeds `limit` bytes.
    pub async fn collect_limited(mut self, limit: usize) -> Result<Vec<u8>, Error> {
        let status = self.response.status().as_u16();
        let too_large = |stream: &ByteStream| Error::ResponseTooLarge {
            url: stream.url.clone(),
            status,
            limit,
            request_id: stream.request_id.clone(),
        };
        if self.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large(&self));
        }
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            if out.len() + chunk.len() > limit {
                return Err(too_large(&self));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// The underlying `reqwest` response, for callers that want its stream adapters.
    pub fn into_response(self) -> reqwest::Response {
        self.response
    }
}
