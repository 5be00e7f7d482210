//! One combined progress view for stacks deployed at the same time: every line is
//! prefixed with its stack when there are several, and on a terminal one status line at
//! the bottom shows each running stack's state.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

/// Where every stack's output goes.
#[derive(Debug)]
pub struct Progress {
    prefix: bool,
    tty: bool,
    started: Instant,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Stack to its current status, for the bottom line.
    running: BTreeMap<String, String>,
    /// While a prompt waits for an answer, the bottom line is not drawn over it.
    prompting: bool,
}

impl Progress {
    /// A view for `stacks` stacks on standard output.
    pub fn new(stacks: usize) -> Self {
        Progress {
            prefix: stacks > 1,
            tty: std::io::stdout().is_terminal(),
            started: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Prints `text` (one or more lines) for `stack`.
    pub fn say(&self, stack: &str, text: &str) {
        let state = self.lock();
        let mut out = std::io::stdout().lock();
        self.clear_status(&mut out, &state);
        for line in text.lines() {
            let _ = if self.prefix {
                writeln!(out, "[{stack}] {line}")
            } else {
                writeln!(out, "{line}")
            };
        }
        self.draw_status(&mut out, &state);
    }

    /// Prints `text` for `stack` on standard error (errors and warnings).
    pub fn warn(&self, stack: &str, text: &str) {
        let state = self.lock();
        let mut out = std::io::stdout().lock();
        self.clear_status(&mut out, &state);
        let _ = out.flush();
        for line in text.lines() {
            if self.prefix {
                eprintln!("[{stack}] {line}");
            } else {
                eprintln!("{line}");
            }
        }
        self.draw_status(&mut out, &state);
    }

    /// Records the status of a running stack and redraws the bottom line.
    pub fn status(&self, stack: &str, status: &str) {
        let mut state = self.lock();
        state.running.insert(stack.to_owned(), status.to_owned());
        self.redraw(&state);
    }

    /// The stack is done: it leaves the bottom line.
    pub fn finished(&self, stack: &str) {
        let mut state = self.lock();
        state.running.remove(stack);
        self.redraw(&state);
    }

    /// Turns the bottom line off while a prompt waits (on) and back (off).
    pub fn prompting(&self, on: bool) {
        let mut state = self.lock();
        state.prompting = on;
        self.redraw(&state);
    }

    fn redraw(&self, state: &State) {
        let mut out = std::io::stdout().lock();
        self.clear_status(&mut out, state);
        self.draw_status(&mut out, state);
    }

    fn clear_status(&self, out: &mut impl Write, state: &State) {
        if self.tty && !state.prompting {
            let _ = write!(out, "\r\x1b[2K");
        }
    }

    fn draw_status(&self, out: &mut impl Write, state: &State) {
        if !self.tty || state.prompting || state.running.is_empty() {
            return;
        }
        let parts: Vec<String> = state
            .running
            .iter()
            .map(|(stack, status)| format!("{stack} {status}"))
            .collect();
        let secs = self.started.elapsed().as_secs();
        let _ = write!(out, "{secs} s | {}", parts.join(" | "));
        let _ = out.flush();
    }
}
