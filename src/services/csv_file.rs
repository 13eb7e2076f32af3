//! What the CSV imports (people, outcomes) share: a file read with its
//! header line checked against the columns the import takes (in any order,
//! a byte-order mark allowed), and problems named by line and column.

use std::collections::HashMap;

use crate::domain::LineProblem;

pub fn problem(line: u64, column: Option<&str>, message: impl Into<String>) -> LineProblem {
    LineProblem {
        line,
        column: column.map(str::to_owned),
        message: message.into(),
    }
}

/// A CSV error in words.
pub fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".into(),
        _ => format!("cannot be read as CSV: {e}"),
    }
}

/// A file whose header line was checked.
pub struct Opened<'a> {
    /// At the first row.
    pub reader: csv::Reader<&'a [u8]>,
    /// Where each column is.
    pub at: HashMap<&'static str, usize>,
    /// How many fields the header line has.
    pub width: usize,
}

/// A file whose header line names every one of `columns` and nothing else.
/// Otherwise every problem of the header line: an unknown column (`is not a
/// column of the {noun}`) and a missing one.
pub fn open<'a>(
    bytes: &'a [u8],
    columns: &[&'static str],
    noun: &str,
) -> Result<Opened<'a>, Vec<LineProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![problem(1, None, csv_message(&e))]),
    };
    let mut problems = Vec::new();
    for column in &header {
        if !columns.contains(&column.as_str()) {
            problems.push(problem(
                1,
                Some(column),
                format!(
                    "is not a column of the {noun} (the columns are {})",
                    columns.join(", ")
                ),
            ));
        }
    }
    let at: HashMap<&'static str, usize> = columns
        .iter()
        .filter_map(|c| header.iter().position(|h| h == c).map(|i| (*c, i)))
        .collect();
    for column in columns {
        if !at.contains_key(column) {
            problems.push(problem(1, Some(column), "is missing from the header line"));
        }
    }
    if problems.is_empty() {
        Ok(Opened {
            reader,
            at,
            width: header.len(),
        })
    } else {
        Err(problems)
    }
}
