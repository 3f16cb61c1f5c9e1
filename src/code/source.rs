//! The text of a source file, shared by every code object compiled from it, so traceback lines
//! never re-read a file that may have changed.

/// A source file and its line index.
pub struct Source {
    /// The file name as code objects report it.
    pub filename: std::sync::Arc<str>,
    /// The text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Indexes `text`.
    pub fn new(filename: &str, text: String) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            filename: filename.into(),
            text,
            line_starts,
        }
    }

    /// Line `n` (1-based) without its line ending, `None` past the end.
    pub fn line(&self, n: u32) -> Option<&str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)?;
        if start > self.text.len() || (start == self.text.len() && i > 0) {
            return None;
        }
        let end = self.line_starts.get(i + 1).map_or(self.text.len(), |&e| e);
        let line = &self.text[start..end];
        Some(
            line.strip_suffix('\n')
                .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l)),
        )
    }

    /// 1-based line and 0-based byte column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let i = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        ((i + 1) as u32, (offset - self.line_starts[i]) as u32)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let s = Source::new("f.py", "a = 1\nbb = 2\r\n\nc".to_string());
        assert_eq!(s.line(1), Some("a = 1"));
        assert_eq!(s.line(2), Some("bb = 2"));
        assert_eq!(s.line(3), Some(""));
        assert_eq!(s.line(4), Some("c"));
        assert_eq!(s.line(5), None);
        assert_eq!(s.line_col(7), (2, 1));
        assert_eq!(s.line_col(0), (1, 0));
    }
}
