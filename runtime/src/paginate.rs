//! Paginators: a listing call turned into a [`Stream`] of its pages, or of its items.
//!
//! Generated code implements [`Paginated`] for the builder of each listing operation (how to
//! send it, where the next page starts, which member holds the items); the user calls
//! `into_paginator()` on the builder and reads the stream, e.g. with `futures::StreamExt`:
//!
//! ```ignore
//! let mut pages = client.kms().list_keys().limit(100).into_paginator();
//! while let Some(page) = pages.next().await {
//!     println!("{:?}", page?.body);
//! }
//! // or, item by item:
//! let keys: Vec<_> = client.kms().list_keys().into_paginator().items().try_collect().await?;
//! ```
//!
//! Paging stops at a page without items, at a page shorter than the page size asked for, when
//! a marker does not move on, and after the first error (which is yielded).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

/// The future of one page.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

/// A request of a listing operation that knows how to ask for its next page.
pub trait Paginated: Clone + Send + Unpin + 'static {
    /// What a page is: the call's output.
    type Output: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// What a call fails with.
    type Error: Send + 'static;

    /// Sends this request.
    fn fetch(self) -> PageFuture<Self::Output, Self::Error>;

    /// The request for the page after `page` (which this request fetched), or `None` when
    /// `page` is the last.
    fn next_page(&self, page: &Self::Output) -> Option<Self>;

    /// The items of `page`, in order.
    fn items(page: Self::Output) -> Vec<Self::Item>;
}

/// A page being fetched, with the request that asked for it.
type Fetching<P> = (
    P,
    PageFuture<<P as Paginated>::Output, <P as Paginated>::Error>,
);

/// The pages of a listing call, as a [`Stream`] of `Result<Output, Error>`.
pub struct Paginator<P: Paginated> {
    /// The request of the next page to fetch.
    next: Option<P>,
    pending: Option<Fetching<P>>,
}

impl<P: Paginated> fmt::Debug for Paginator<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("fetching", &self.pending.is_some())
            .field("done", &(self.next.is_none() && self.pending.is_none()))
            .finish()
    }
}

impl<P: Paginated> Paginator<P> {
    /// Pages starting with `first`.
    pub fn new(first: P) -> Self {
        Paginator {
            next: Some(first),
            pending: None,
        }
    }

    /// The items of every page, one by one, as a [`Stream`] of `Result<Item, Error>`.
    pub fn items(self) -> Items<P> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }
}

impl<P: Paginated> Stream for Paginator<P> {
    type Item = Result<P::Output, P::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((request, future)) = &mut this.pending {
                let result = match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result,
                };
                this.next = match &result {
                    Ok(page) => request.next_page(page),
                    // After an error there is no telling where the next page starts.
                    Err(_) => None,
                };
                this.pending = None;
                return Poll::Ready(Some(result));
            }
            match this.next.take() {
                Some(request) => {
                    let future = request.clone().fetch();
                    this.pending = Some((request, future));
                }
                None => return Poll::Ready(None),
            }
        }
    }
}

/// The items of a listing call, page after page, as a [`Stream`] of `Result<Item, Error>`.
pub struct Items<P: Paginated> {
    pages: Paginator<P>,
    buffered: VecDeque<P::Item>,
}

impl<P: Paginated> fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

// Nothing in an `Items` is pinned in place: the buffered items are moved out by value.
impl<P: Paginated> Unpin for Items<P> {}

impl<P: Paginated> Stream for Items<P> {
    type Item = Result<P::Item, P::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend(P::items(page)),
            }
        }
    }
}

/// `offset` counting items: where the page after one of `count` items starts, if there is one.
pub fn next_offset(offset: Option<i64>, size: Option<i64>, count: usize) -> Option<i64> {
    let count = i64::try_from(count).ok()?;
    if count == 0 || size.is_some_and(|size| count < size) {
        return None;
    }
    offset.unwrap_or(0).checked_add(count)
}

/// `page` counting pages (the first numbered `first`): the page after one of `count` items.
pub fn next_page(page: Option<i64>, first: i64, size: Option<i64>, count: usize) -> Option<i64> {
    let count = i64::try_from(count).ok()?;
    if count == 0 || size.is_some_and(|size| count < size) {
        return None;
    }
    page.unwrap_or(first).checked_add(1)
}

/// A marker: the page after one of `count` items starts at `next`, unless it is missing,
/// empty or the marker this page was asked with.
pub fn next_marker(marker: Option<&str>, next: Option<&str>, count: usize) -> Option<String> {
    let next = next.filter(|next| !next.is_empty())?;
    if count == 0 || marker == Some(next) {
        return None;
    }
    Some(next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_move_on_by_the_items_received() {
        assert_eq!(next_offset(None, Some(10), 10), Some(10));
        assert_eq!(next_offset(Some(10), Some(10), 10), Some(20));
        assert_eq!(next_offset(Some(10), Some(10), 3), None);
        assert_eq!(next_offset(Some(10), None, 0), None);
        assert_eq!(next_offset(Some(10), None, 7), Some(17));
        assert_eq!(next_offset(Some(i64::MAX), None, 1), None);
    }

    #[test]
    fn pages_move_on_by_one() {
        assert_eq!(next_page(None, 1, Some(5), 5), Some(2));
        assert_eq!(next_page(Some(2), 1, Some(5), 5), Some(3));
        assert_eq!(next_page(None, 0, None, 1), Some(1));
        assert_eq!(next_page(Some(2), 1, Some(5), 4), None);
        assert_eq!(next_page(Some(2), 1, None, 0), None);
    }

    #[test]
    fn markers_must_move_on() {
        assert_eq!(next_marker(None, Some("k2"), 2), Some("k2".to_owned()));
        assert_eq!(next_marker(Some("k2"), Some("k2"), 2), None);
        assert_eq!(next_marker(Some("k2"), Some(""), 2), None);
        assert_eq!(next_marker(Some("k2"), None, 2), None);
        assert_eq!(next_marker(Some("k2"), Some("k4"), 0), None);
    }
}
