//! Background work, one way for all of it: a named thread with a channel in (requests) and a
//! channel out (replies), which wakes the window loop when it replies, and stops when the app
//! drops its end. Slow things (D-Bus, sound, files of a year, sockets, fonts) run there, never on
//! the frame's thread; a system drains the replies into messages each frame.

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

/// Wakes the window loop from another thread; does nothing in a headless app (no loop).
#[derive(Clone, Default)]
pub struct LoopWaker(Option<bevy::winit::EventLoopProxy<WinitUserEvent>>);

impl LoopWaker {
    /// A waker for the loop behind `proxy`.
    pub fn new(proxy: &EventLoopProxyWrapper) -> Self {
        Self(Some((**proxy).clone()))
    }

    /// A waker for the loop, if there is one.
    pub fn of(proxy: Option<&EventLoopProxyWrapper>) -> Self {
        proxy.map_or_else(Self::default, Self::new)
    }

    /// Wakes the loop; false once the loop is gone (the app is exiting).
    pub fn wake(&self) -> bool {
        self.0.as_ref().is_none_or(|proxy| proxy.send_event(WinitUserEvent::WakeUp).is_ok())
    }
}

/// The thread's side: its requests, its replies, and the loop's waker.
pub struct Inbox<Req, Rep> {
    requests: Receiver<Req>,
    replies: Sender<Rep>,
    waker: LoopWaker,
}

/// What [`Inbox::next_until`] found.
pub enum Next<Req> {
    /// A request came.
    Request(Req),
    /// The deadline passed first.
    Due,
    /// The app dropped its end: the thread should end.
    Stopped,
}

impl<Req, Rep> Inbox<Req, Rep> {
    /// The next request, waiting as long as it takes; `None` once the app dropped its end.
    pub fn next(&self) -> Option<Req> {
        self.requests.recv().ok()
    }

    /// The next request, or [`Next::Due`] when `due` passes first (never, without one).
    pub fn next_until(&self, due: Option<Instant>) -> Next<Req> {
        let next = match due {
            None => self.requests.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => self.requests.recv_timeout(at.saturating_duration_since(Instant::now())),
        };
        match next {
            Ok(request) => Next::Request(request),
            Err(RecvTimeoutError::Timeout) => Next::Due,
            Err(RecvTimeoutError::Disconnected) => Next::Stopped,
        }
    }

    /// Every request waiting now, without waiting for more.
    pub fn pending(&self) -> impl Iterator<Item = Req> + '_ {
        self.requests.try_iter()
    }

    /// Sends a reply and wakes the window loop to take it; false once the app is gone.
    pub fn reply(&self, reply: Rep) -> bool {
        self.replies.send(reply).is_ok() && self.waker.wake()
    }

    /// Wakes the window loop with no reply; false once the loop is gone.
    pub fn wake(&self) -> bool {
        self.waker.wake()
    }

    /// A sender of replies for a helper thread of this one (it wakes the loop too).
    pub fn replier(&self) -> Replier<Rep> {
        Replier { replies: self.replies.clone(), waker: self.waker.clone() }
    }
}

/// Sends replies from a helper thread of a worker, waking the window loop.
pub struct Replier<Rep> {
    replies: Sender<Rep>,
    waker: LoopWaker,
}

impl<Rep> Replier<Rep> {
    /// As [`Inbox::reply`].
    pub fn reply(&self, reply: Rep) -> bool {
        self.replies.send(reply).is_ok() && self.waker.wake()
    }
}

/// The app's side of a background thread, kept as a resource: requests go out with
/// [`Worker::send`], replies come back with [`Worker::replies`]. Dropping it ends the thread's
/// loop (its requests channel closes).
#[derive(Resource)]
pub struct Worker<Req: Send + 'static, Rep: Send + 'static> {
    requests: Sender<Req>,
    replies: Mutex<Receiver<Rep>>,
}

impl<Req: Send + 'static, Rep: Send + 'static> Worker<Req, Rep> {
    /// Hands the thread a request; false when the thread has ended.
    pub fn send(&self, request: Req) -> bool {
        self.requests.send(request).is_ok()
    }

    /// The replies that came since the last call, in order, without waiting.
    pub fn replies(&self) -> Vec<Rep> {
        self.replies.lock().map(|r| r.try_iter().collect()).unwrap_or_default()
    }
}

/// Starts a thread named `name` running `body` with its [`Inbox`].
pub fn spawn<Req: Send + 'static, Rep: Send + 'static>(
    name: &str,
    waker: LoopWaker,
    body: impl FnOnce(Inbox<Req, Rep>) + Send + 'static,
) -> std::io::Result<Worker<Req, Rep>> {
    let (requests, inbox) = mpsc::channel();
    let (replies, outbox) = mpsc::channel();
    let thread_inbox = Inbox { requests: inbox, replies, waker };
    std::thread::Builder::new().name(name.into()).spawn(move || body(thread_inbox))?;
    Ok(Worker { requests, replies: Mutex::new(outbox) })
}

/// A system for any worker whose replies are messages: each frame, the replies become messages
/// for the systems after it.
pub fn drain_into_messages<Req: Send + 'static, Rep: Message>(
    worker: Option<Res<Worker<Req, Rep>>>,
    mut out: MessageWriter<Rep>,
) {
    if let Some(worker) = worker {
        out.write_batch(worker.replies());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_answers_in_order_and_ends_when_dropped() {
        let (ended, was_ended) = mpsc::channel();
        let worker = spawn("test worker", LoopWaker::default(), move |inbox: Inbox<u32, u32>| {
            while let Some(n) = inbox.next() {
                inbox.reply(n * 2);
            }
            let _ = ended.send(());
        })
        .unwrap();
        for n in 1..=3 {
            assert!(worker.send(n));
        }
        let mut got = Vec::new();
        while got.len() < 3 {
            got.extend(worker.replies());
        }
        assert_eq!(got, [2, 4, 6]);
        drop(worker);
        was_ended.recv_timeout(std::time::Duration::from_secs(5)).expect("the thread ends with its worker");
    }
}
