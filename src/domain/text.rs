//! Text the service accepts (SPEC §1 "Text and time that the service accepts").
//!
//! Every free-text input is parsed into [`OneLine`] or [`LongText`] before it
//! goes anywhere else, so one rule decides what reaches the database, a page, a
//! mail header or a calendar file, on both backends alike:
//!
//! * one-line text (names, titles, department, reasons, emails, search terms)
//!   refuses control characters (U+0000–U+001F, U+007F–U+009F), bidirectional
//!   overrides and isolates (U+202A–U+202E, U+2066–U+2069), invisible
//!   zero-width characters that carry no meaning in any script (U+200B, U+2060,
//!   U+FEFF) and the Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF);
//! * long text (evidence, summaries, notes, rationales, descriptions) allows
//!   newline and tab and refuses the rest of that list except the zero-width
//!   characters.
//!
//! The joiners U+200C and U+200D stay allowed: Persian, Indic and emoji
//! spellings need them. The text is trimmed; nothing else is rewritten, so it is
//! stored exactly as accepted.

use super::DomainError;

/// Which characters a field allows beyond printable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why `c` is refused in a field of this kind, or `None` when it is allowed.
pub fn refusal(c: char, lines: Lines) -> Option<&'static str> {
    match c {
        '\n' | '\t' if lines == Lines::Many => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(match lines {
            Lines::One => "must not contain control characters or line breaks",
            Lines::Many => "must not contain control characters other than newline and tab",
        }),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("must not contain bidirectional overrides or isolates")
        }
        '\u{200b}' | '\u{2060}' | '\u{feff}' if lines == Lines::One => {
            Some("must not contain zero-width characters")
        }
        c if is_noncharacter(c) => Some("must not contain Unicode non-characters"),
        _ => None,
    }
}

fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Checks every character of `text`; the first refused one names the problem.
pub fn check_chars(field: &str, text: &str, lines: Lines) -> Result<(), DomainError> {
    match text.chars().find_map(|c| refusal(c, lines)) {
        Some(message) => Err(DomainError::invalid(field, message)),
        None => Ok(()),
    }
}

fn parse_trimmed<'a>(
    field: &str,
    raw: &'a str,
    lines: Lines,
    max_chars: usize,
) -> Result<&'a str, DomainError> {
    let text = raw.trim();
    check_chars(field, text, lines)?;
    if text.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if text.chars().count() > max_chars {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(text)
}

/// Non-empty one-line text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OneLine(String);

impl OneLine {
    pub fn parse(field: &str, raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        parse_trimmed(field, raw, Lines::One, max_chars).map(|t| Self(t.to_owned()))
    }

    /// Optional one-line text: absent or blank becomes `None`.
    pub fn parse_optional(
        field: &str,
        raw: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<Self>, DomainError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Self::parse(field, text, max_chars).map(Some),
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for OneLine {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Long text kept exactly as written (not trimmed; empty allowed), such as a
/// draft's evidence: only the refused characters and the length are checked.
pub fn check_long(field: &str, raw: &str, max_chars: usize) -> Result<(), DomainError> {
    check_chars(field, raw, Lines::Many)?;
    if raw.chars().count() > max_chars {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(())
}

/// Non-empty long text (newlines and tabs allowed), trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongText(String);

impl LongText {
    pub fn parse(field: &str, raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        parse_trimmed(field, raw, Lines::Many, max_chars).map(|t| Self(t.to_owned()))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for LongText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One representative of every refused class, with the kinds that refuse it.
    const REFUSED: &[(&str, char, bool)] = &[
        // (class, character, also refused in long text)
        ("NUL", '\u{0}', true),
        ("C0 control", '\u{7}', true),
        ("carriage return", '\r', true),
        ("DEL", '\u{7f}', true),
        ("C1 control", '\u{85}', true),
        ("right-to-left override", '\u{202e}', true),
        ("left-to-right embedding", '\u{202a}', true),
        ("first strong isolate", '\u{2068}', true),
        ("pop directional isolate", '\u{2069}', true),
        ("non-character U+FFFE", '\u{fffe}', true),
        ("non-character U+FFFF", '\u{ffff}', true),
        ("non-character U+FDD0", '\u{fdd0}', true),
        ("non-character U+10FFFF", '\u{10ffff}', true),
        ("zero-width space", '\u{200b}', false),
        ("byte order mark", '\u{feff}', false),
        ("newline", '\n', false),
        ("tab", '\t', false),
    ];

    #[test]
    fn every_refused_class_is_refused_in_one_line_text() {
        for (class, c, _) in REFUSED {
            let err = OneLine::parse("title", &format!("Dana{c}Lee"), 200).unwrap_err();
            assert!(
                matches!(&err, DomainError::Invalid { field, .. } if field == "title"),
                "{class}: {err:?}"
            );
        }
    }

    #[test]
    fn long_text_allows_newline_and_tab_and_refuses_the_rest() {
        for (class, c, refused_in_long) in REFUSED {
            let result = LongText::parse("evidence", &format!("first{c}second"), 4000);
            assert_eq!(result.is_err(), *refused_in_long, "{class}");
        }
    }

    #[test]
    fn the_spoofed_name_from_the_report_is_refused() {
        assert!(OneLine::parse("name", "Dana \u{202e}eeL", 200).is_err());
    }

    #[test]
    fn scripts_joiners_and_emoji_are_accepted_and_kept_exactly() {
        for text in [
            "Zoë Ødegård",
            "محمد‌رضا",
            "मनोज कुमार",
            "李小龍",
            "👩‍💻 Dana",
            "Ana\u{200f}",
        ] {
            assert_eq!(OneLine::parse("name", text, 200).unwrap().as_ref(), text);
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_not_blank() {
        assert_eq!(
            OneLine::parse("t", "  Lead  ", 10).unwrap().as_ref(),
            "Lead"
        );
        assert!(OneLine::parse("t", "   ", 10).is_err());
        assert!(OneLine::parse("t", &"é".repeat(11), 10).is_err());
        assert!(OneLine::parse("t", &"é".repeat(10), 10).is_ok());
        assert_eq!(OneLine::parse_optional("t", Some("  "), 10), Ok(None));
        assert_eq!(OneLine::parse_optional("t", None, 10), Ok(None));
        assert!(OneLine::parse_optional("t", Some("a\u{0}"), 10).is_err());
    }
}
