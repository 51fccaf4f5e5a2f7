//! Drives one request's executor and the batch tasks its loaders queue, in one task.
//!
//! Replaces: async-graphql's DataLoader spawner. Its loaders spawn a task per batch and,
//! by default, wait 1 ms so that sibling fields can add their keys — a fixed delay at every
//! nesting level. Here a batch task is queued and polled inside the request's own task,
//! only after the executor has polled every sibling field and returned `Pending`. Every
//! key of a level is therefore in the batch, with no timer at all.
//!
//! Relies on: async-graphql's list resolution (`FuturesUnordered`) waking itself after a
//! few items instead of finishing a level in one poll; `MAX_SPINS` bounds that. A test in
//! `tests/api/engine.rs` counts the statements of a nested page: an upgrade that changes
//! this shows there as extra statements, not only as time.

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::task::ArcWake;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Tasks spawned by a request's loaders, waiting to be polled by the request.
pub type TaskQueue = Arc<Mutex<Vec<BoxFuture<'static, ()>>>>;

/// Polls `main`, then every task it queued, in the same task, until `main` finishes.
///
/// `main` is polled until it stops waking itself (async-graphql's list resolution uses
/// `FuturesUnordered`, which yields after a few items and wakes itself), so every sibling
/// at a level has queued its key before any batch runs.
pub async fn drive<F: Future>(main: F, queue: TaskQueue) -> F::Output {
    /// Bound on back-to-back polls of a self-waking `main` before batches run anyway.
    const MAX_SPINS: usize = 10_000;
    let mut main = pin!(main);
    let mut tasks: FuturesUnordered<BoxFuture<'static, ()>> = FuturesUnordered::new();
    poll_fn(move |cx| {
        let flag = Arc::new(WakeFlag { woken: AtomicBool::new(false), inner: cx.waker().clone() });
        let waker = futures::task::waker(flag.clone());
        let mut main_cx = Context::from_waker(&waker);
        loop {
            for _ in 0..MAX_SPINS {
                flag.woken.store(false, Ordering::SeqCst);
                if let Poll::Ready(out) = main.as_mut().poll(&mut main_cx) {
                    return Poll::Ready(out);
                }
                if !flag.woken.load(Ordering::SeqCst) {
                    break;
                }
            }
            let queued: Vec<_> = match queue.lock() {
                Ok(mut q) => std::mem::take(&mut *q),
                Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
            };
            let added = !queued.is_empty();
            tasks.extend(queued);
            let mut finished = false;
            while let Poll::Ready(Some(())) = tasks.poll_next_unpin(cx) {
                finished = true;
            }
            if !added && !finished {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// A waker that remembers it was woken, then wakes the request's task.
struct WakeFlag {
    woken: AtomicBool,
    inner: Waker,
}

impl ArcWake for WakeFlag {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::SeqCst);
        arc_self.inner.wake_by_ref();
    }
}
