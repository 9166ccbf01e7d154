//! Standard output as tcpdump uses it: block-buffered by default, line-buffered with `-l` or when
//! packets are printed while a file is being written (`--print`). A closed pipe
//! (`ptcpdump ... | head`) is not an error: the caller stops cleanly.
use std::io::{self, Write};

pub struct Output {
    buf: String,
    out: io::Stdout,
    line_buffered: bool,
    closed: bool,
}

impl Output {
    pub fn new(line_buffered: bool) -> Self {
        Output {
            buf: String::with_capacity(1 << 16),
            out: io::stdout(),
            line_buffered,
            closed: false,
        }
    }

    /// The text buffer printers append to; call [`Output::commit`] after each packet.
    pub fn buf(&mut self) -> &mut String {
        &mut self.buf
    }

    /// Writes out what was appended when line buffered or when enough is pending.
    pub fn commit(&mut self) -> io::Result<()> {
        if self.line_buffered || self.buf.len() >= 1 << 15 {
            self.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            self.buf.clear();
            return Ok(());
        }
        let r = (|| {
            let mut lock = self.out.lock();
            lock.write_all(self.buf.as_bytes())?;
            lock.flush()
        })();
        self.buf.clear();
        if let Err(e) = &r
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        r
    }

    /// True once stdout's reader went away.
    pub fn closed(&self) -> bool {
        self.closed
    }
}

/// True for errors that mean "the reader of our output is gone".
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
