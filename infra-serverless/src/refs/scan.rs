//! Scanning one text: the `${...}` variables, the YAML comments, positions. Every pass here
//! is linear in the size of the text (see [`variables`]); a 200 KB manifest of unclosed
//! `${` took 55 s with the former rescan-per-`${` and takes milliseconds now.

use std::ops::Range;

/// One `${...}` variable.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Variable {
    /// Bytes of the whole variable, `${` to `}`.
    pub span: Range<usize>,
    /// The text between `${` and `}` with every nested variable replaced by `${}`: what
    /// the judge reads (a nested variable is never a literal service, stage or key).
    pub flat: String,
}

/// Every `${...}` of `text` with balanced braces, nested ones included, by start.
///
/// Linear: one pass with a stack of open braces. Each byte is visited once and copied into
/// at most one `flat` (that of the innermost open variable; a closed nested variable puts
/// three bytes, `${}`, into its parent), so time and memory are O(n) plus O(k log k) to
/// sort k variables. An unclosed `${` stays on the stack and is dropped at the end; the
/// former version searched for its `}` from every `${`, O(n^2) on unclosed ones.
pub(super) fn variables(text: &str) -> Vec<Variable> {
    let bytes = text.as_bytes();
    let mut braces: Vec<bool> = Vec::new(); // open braces: is it a variable's?
    let mut open: Vec<(usize, Vec<u8>)> = Vec::new(); // open variables: start, flat
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            braces.push(true);
            open.push((i, Vec::new()));
            i += 2;
            continue;
        }
        match bytes[i] {
            b'{' => braces.push(false),
            // Every `}` pops the innermost open brace; only a variable's closes one.
            b'}' if braces.pop() == Some(true) => {
                close(&mut open, i, &mut found);
                i += 1;
                continue;
            }
            _ => {}
        }
        if let Some((_, flat)) = open.last_mut() {
            flat.push(bytes[i]);
        }
        i += 1;
    }
    found.sort_by_key(|v| v.span.start);
    found
}

/// Closes the innermost open variable at `end` (its `}`); its parent reads `${}` for it.
fn close(open: &mut Vec<(usize, Vec<u8>)>, end: usize, found: &mut Vec<Variable>) {
    let (start, flat) = open.pop().unwrap_or_default();
    found.push(Variable {
        span: start..end + 1,
        flat: String::from_utf8_lossy(&flat).into_owned(),
    });
    if let Some((_, parent)) = open.last_mut() {
        parent.extend_from_slice(b"${}");
    }
}

/// A reference on one line for messages: lines folded, and at most [`SHOWN`] bytes.
pub(super) fn shown(reference: &str) -> String {
    const SHOWN: usize = 200;
    let mut end = reference.len().min(SHOWN);
    while !reference.is_char_boundary(end) {
        end -= 1;
    }
    let mut lines = reference[..end].lines();
    let first = lines.next().unwrap_or_default().trim_end().to_owned();
    let folded = lines.fold(first, |acc, line| acc + " " + line.trim());
    if end < reference.len() {
        folded + "…"
    } else {
        folded
    }
}

/// 1-based line and column (in characters) of byte offsets asked in increasing order:
/// the column is counted on from the previous offset, so a long line costs its length
/// once, not once per reference on it.
pub(super) struct Positions<'a> {
    text: &'a str,
    starts: Vec<usize>,
    last: (usize, usize, usize), // offset, line index, column
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Self {
            text,
            starts: std::iter::once(0).chain(newlines).collect(),
            last: (0, 0, 1),
        }
    }

    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_column) = self.last;
        let (from, column) = if line == last_line && offset >= last_offset {
            (last_offset, last_column)
        } else {
            (self.starts[line], 1)
        };
        let column = column + self.text[from..offset].chars().count();
        self.last = (offset, line, column);
        (line + 1, column)
    }
}

/// The comments of a YAML text as sorted byte ranges, block scalars (`|`, `>`) and quoted
/// scalars excepted, multi-line ones included: in `a: "x\n  # y"` the `# y` is text.
pub(super) fn yaml_comments(text: &str) -> Comments {
    let mut comments = Vec::new();
    let mut block_parent: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_parent = None;
        }
        let comment = comment_start(line, &mut quote);
        if let Some(at) = comment {
            comments.push(start + at..start + line.len());
        }
        if quote.is_none() && opens_block_scalar(&line[..comment.unwrap_or(line.len())]) {
            block_parent = Some(indent);
        }
    }
    Comments(comments)
}

/// Sorted, disjoint comment ranges.
#[derive(Debug, Default)]
pub(super) struct Comments(pub Vec<Range<usize>>);

impl Comments {
    /// Whether `offset` is inside a comment (a binary search).
    pub fn contain(&self, offset: usize) -> bool {
        let after = self.0.partition_point(|c| c.end <= offset);
        self.0.get(after).is_some_and(|c| c.contains(&offset))
    }
}

/// Where a line's comment starts: a `#` at the start or after a space, outside quotes.
/// `quote` is the quote still open from the previous line, and open at the end of this one.
pub(super) fn comment_start(line: &str, quote: &mut Option<char>) -> Option<usize> {
    let mut prev: Option<char> = None;
    let mut last_solid: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (*quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\''), '\'') if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            (Some(q), _) if q == c => *quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if last_solid.is_none_or(|s| ":-[{,?".contains(s)) => {
                *quote = Some(c);
            }
            (None, '#') if prev.is_none_or(char::is_whitespace) => return Some(i),
            _ => {}
        }
        prev = Some(c);
        if !c.is_whitespace() {
            last_solid = Some(c);
        }
    }
    None
}

/// Whether a line (comment removed) ends in a block scalar header: `key: |`, `- >-`, `|2`.
pub(super) fn opens_block_scalar(code: &str) -> bool {
    let code = code.trim_end();
    let (before, header) = code.rsplit_once(' ').unwrap_or(("", code.trim_start()));
    let mut chars = header.chars();
    let indicator = matches!(chars.next(), Some('|' | '>'));
    let flags = header.len() <= 3 && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit());
    let before = before.trim_end();
    indicator && flags && (before.is_empty() || before.ends_with([':', '-', '?']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(line: &str) -> Option<usize> {
        comment_start(line, &mut None)
    }

    #[test]
    fn variables_nested_and_unclosed() {
        let text = "a ${cf:infra-${sls:stage}.x} ${ b ${c} {d} }e";
        let found = variables(text);
        let spans: Vec<&str> = found.iter().map(|v| &text[v.span.clone()]).collect();
        assert_eq!(
            spans,
            [
                "${cf:infra-${sls:stage}.x}",
                "${sls:stage}",
                "${ b ${c} {d} }",
                "${c}"
            ]
        );
        assert_eq!(found[0].flat, "cf:infra-${}.x");
        assert_eq!(found[1].flat, "sls:stage");
        assert_eq!(found[2].flat, " b ${} {d} ");
        let text = "${a:{b}} ${x";
        let found = variables(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].flat, "a:{b}");
        assert_eq!(
            variables("}}${${}"),
            vec![Variable {
                span: 4..7,
                flat: String::new()
            }]
        );
    }

    #[test]
    fn positions_count_characters() {
        let text = "é${a}\n  ${b} ${c}";
        let mut positions = Positions::new(text);
        assert_eq!(positions.position(2), (1, 2));
        assert_eq!(positions.position(9), (2, 3));
        assert_eq!(positions.position(14), (2, 8));
        assert_eq!(positions.position(0), (1, 1), "backwards starts over");
    }

    #[test]
    fn shown_folds_and_shortens() {
        assert_eq!(shown("${a.\n   b}"), "${a. b}");
        let long = format!("${{{}}}", "é".repeat(300));
        let shown = shown(&long);
        assert!(shown.ends_with('…') && shown.len() <= 204, "{shown}");
    }

    #[test]
    fn yaml_comments_and_block_scalars() {
        assert_eq!(start("# all"), Some(0));
        assert_eq!(start("a: b # c"), Some(5));
        assert_eq!(start("a: b#c"), None);
        assert_eq!(start(r#"a: "b # c" # d"#), Some(11));
        assert_eq!(start(r#"a: "b \" # c""#), None);
        assert_eq!(start("a: 'it''s # c'"), None);
        assert_eq!(start("a: it's # c"), Some(8));
        assert!(opens_block_scalar("key: |"));
        assert!(opens_block_scalar("  - >-"));
        assert!(opens_block_scalar("key: |2+"));
        assert!(!opens_block_scalar("key: a | b"));
        assert!(!opens_block_scalar("key: >value"));
        let text = "a: |\n  # kept\n  x\nb: 1 # gone\n";
        let comments = yaml_comments(text);
        assert_eq!(comments.0.len(), 1);
        assert_eq!(&text[comments.0[0].clone()], "# gone");
    }

    #[test]
    fn a_quoted_scalar_goes_on_across_lines() {
        for text in [
            "a: \"x\n  # ${state:infra.nopeArn}\"\nb: 1 # gone\n",
            "a: 'x\n  # ${state:infra.nopeArn}'\nb: 1 # gone\n",
            "a: [\"x\n  # ${state:infra.nopeArn}\"]\nb: 1 # gone\n",
        ] {
            let comments = yaml_comments(text);
            let kept = text.find("${").expect("a variable");
            assert!(!comments.contain(kept), "{text:?}");
            assert_eq!(comments.0.len(), 1, "{text:?}");
            assert_eq!(&text[comments.0[0].clone()], "# gone");
        }
        let text = "a: \"x \\\" # y\n  # z\"\n# c\n";
        let comments = yaml_comments(text);
        assert_eq!(comments.0.len(), 1);
        assert_eq!(&text[comments.0[0].clone()], "# c");
    }

    #[test]
    fn comment_lookup() {
        let comments = Comments(vec![2..4, 10..12]);
        let inside: Vec<usize> = (0..14).filter(|&i| comments.contain(i)).collect();
        assert_eq!(inside, [2, 3, 10, 11]);
    }
}
