//! Rules for the text a user types.

use std::fmt;

/// The longest intention, in characters (Unicode scalar values).
pub const INTENTION_MAX_CHARS: usize = 280;
/// The longest journal field, in characters.
pub const JOURNAL_MAX_CHARS: usize = 20_000;

/// Why a piece of text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Nothing but white space.
    Empty,
    /// Longer than allowed.
    TooLong { chars: usize, max: usize },
    /// An intention is one line.
    NotOneLine,
    /// A control character other than a line break or tab.
    ControlCharacter,
    /// A bidirectional embedding, override or isolate, which reorders how the text around it is shown.
    BidiControl(char),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the text is empty"),
            Self::TooLong { chars, max } => {
                write!(f, "the text is {chars} characters long; at most {max} are allowed")
            }
            Self::NotOneLine => write!(f, "an intention is one line; remove the line breaks"),
            Self::ControlCharacter => write!(f, "the text contains a control character"),
            Self::BidiControl(c) => write!(
                f,
                "the text contains the invisible character U+{:04X}, which changes the order in which text is shown; \
                 remove it",
                u32::from(*c)
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// Trims an intention and checks it: one line, not empty, at most [`INTENTION_MAX_CHARS`].
pub fn clean_intention(text: &str) -> Result<String, TextError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        return Err(TextError::NotOneLine);
    }
    if text.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    check_bidi(text)?;
    check_length(text, INTENTION_MAX_CHARS)?;
    Ok(text.to_owned())
}

/// Trims a journal field and checks it: any number of lines, at most [`JOURNAL_MAX_CHARS`].
/// An empty field is allowed (it clears the field).
pub fn clean_journal(text: &str) -> Result<String, TextError> {
    let text = text.trim();
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(TextError::ControlCharacter);
    }
    check_bidi(text)?;
    check_length(text, JOURNAL_MAX_CHARS)?;
    Ok(text.replace("\r\n", "\n"))
}

/// True for the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
/// invisible, they make a terminal or a spreadsheet show text in another order than it was written.
/// (The marks U+200E and U+200F only set a direction and are allowed.)
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal or a file another program shows: bidirectional controls (from a file
/// written by hand or by an older version) are replaced by U+FFFD, so they cannot reorder it.
pub fn shown_safely(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_bidi_control) {
        text.chars().map(|c| if is_bidi_control(c) { '\u{FFFD}' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

fn check_bidi(text: &str) -> Result<(), TextError> {
    match text.chars().find(|&c| is_bidi_control(c)) {
        Some(c) => Err(TextError::BidiControl(c)),
        None => Ok(()),
    }
}

fn check_length(text: &str, max: usize) -> Result<(), TextError> {
    // Counting stops just past the limit, so a huge string costs no more than a short one.
    let chars = text.chars().take(max + 1).count();
    if chars > max {
        return Err(TextError::TooLong { chars: text.chars().count(), max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intentions_are_trimmed_and_checked() {
        assert_eq!(clean_intention("  write tests \t").unwrap(), "write tests");
        assert_eq!(clean_intention("   "), Err(TextError::Empty));
        assert_eq!(clean_intention("a\nb"), Err(TextError::NotOneLine));
        assert_eq!(clean_intention("a\u{7}b"), Err(TextError::ControlCharacter));
        let max = "é".repeat(INTENTION_MAX_CHARS);
        assert_eq!(clean_intention(&max).unwrap(), max);
        let over = "x".repeat(INTENTION_MAX_CHARS + 1);
        assert_eq!(
            clean_intention(&over),
            Err(TextError::TooLong { chars: INTENTION_MAX_CHARS + 1, max: INTENTION_MAX_CHARS })
        );
    }

    #[test]
    fn bidirectional_controls_are_refused_and_never_shown() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            let text = format!("pay {c}3202 yrtnuoc");
            assert_eq!(clean_intention(&text), Err(TextError::BidiControl(c)));
            assert_eq!(clean_journal(&text), Err(TextError::BidiControl(c)));
            assert_eq!(shown_safely(&text), "pay \u{FFFD}3202 yrtnuoc");
        }
        // Right-to-left text itself, and the direction marks, are welcome.
        assert_eq!(clean_intention("לכתוב \u{200F}בדיקות").unwrap(), "לכתוב \u{200F}בדיקות");
        assert_eq!(shown_safely("עברית"), "עברית");
    }

    #[test]
    fn journal_fields_keep_lines() {
        assert_eq!(clean_journal(" a\r\nb ").unwrap(), "a\nb");
        assert_eq!(clean_journal("").unwrap(), "");
    }
}
