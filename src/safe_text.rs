//! Text the user wrote (file and folder names, scenario descriptions, plan
//! names), made safe for where the tool writes it: a terminal, where an
//! escape sequence in a file name could recolour or rewrite the screen, and
//! a CSV cell, where text starting with `=` is a formula to a spreadsheet
//! (OWASP, "CSV Injection"). Which values a scenario may hold at all is
//! checked in `scenario::validate`; this module only changes how they are
//! shown.

use std::borrow::Cow;

/// Whether printing `c` could change what a terminal shows other than the
/// character itself: the control characters (C0 with ESC, NUL and newline,
/// DEL, C1), the bidirectional overrides that reorder a line, and
/// Unicode's line and paragraph separators, which some terminals break at.
pub(crate) fn moves_the_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A character that [`moves_the_terminal`], as a page (report.html, an
/// SVG) shows it: `[U+202E]`. The page then shows the text in the order it
/// was written, and says what was there; `\u{202e}` is the terminal's form.
pub fn code_point(c: char) -> String {
    format!("[U+{:04X}]", u32::from(c))
}

/// `text` for a terminal: each control character or bidi override replaced
/// by its Rust escape (`\u{1b}`, `\n`, `\0`), the form the CSV comment
/// lines use too. Plain text is returned as it is.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(moves_the_terminal) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if moves_the_terminal(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// A value the user gave, quoted for a message, the one way every message
/// quotes one: in double quotes as TOML writes a string (`"5%"`), or in
/// single quotes when it holds a double quote (`'"5%"'`, `'12%"'`), never
/// with a quote escaped inside; control characters and bidi overrides are
/// shown escaped as [`for_terminal`] shows them (`"\u{0}"`). Rust's `{:?}`
/// would escape quotes that the user typed (`"\"5%\""`).
pub fn quoted(text: &str) -> String {
    let shown = for_terminal(text);
    if shown.contains('"') && !shown.contains('\'') {
        format!("'{shown}'")
    } else {
        format!("\"{shown}\"")
    }
}

/// The most characters of a cell an error message shows.
const CELL_SHOWN: usize = 120;

/// A cell of the user's file as an error message shows it: escaped for the
/// terminal ([`for_terminal`]) and cut to [`CELL_SHOWN`] characters with
/// `…` (a 2 MB cell, or a file rewritten to an unclosed quote while it was
/// read, would otherwise fill the screen).
pub fn cell(text: &str) -> String {
    let shown = for_terminal(text);
    if shown.chars().nth(CELL_SHOWN).is_none() {
        return shown.into_owned();
    }
    shown
        .chars()
        .take(CELL_SHOWN)
        .chain(std::iter::once('…'))
        .collect()
}

/// [`quoted`] of a [`cell`].
pub fn quoted_cell(text: &str) -> String {
    quoted(&cell(text))
}

/// Arguments as a command line a user would type: `run a.toml --trials 5`,
/// an argument with a space, a quote or nothing in it [`quoted`].
pub fn command_line(args: &[String]) -> String {
    let words: Vec<String> = args
        .iter()
        .map(|a| {
            let plain = !a.is_empty()
                && !a
                    .chars()
                    .any(|c| c.is_whitespace() || "\"'\\$`;&|<>()*?".contains(c));
            if plain {
                for_terminal(a).into_owned()
            } else {
                quoted(a)
            }
        })
        .collect();
    words.join(" ")
}

/// The first characters that make a spreadsheet read a cell as a formula
/// (or, tab and carriage return, hide one): OWASP's list.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell of user text: text starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'`, as OWASP recommends, so that a
/// spreadsheet shows it as text instead of evaluating it. Text that reads
/// as a number (a scenario named `-5`) gets it too: it is a name, and a
/// column of names should hold text only, not names and numbers as a
/// spreadsheet would read them. Numbers the tool writes never come here
/// (metadata.csv keeps its numbers apart: `export::metadata::csv_value`).
pub fn for_spreadsheet(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The text of a CSV cell that [`for_spreadsheet`] protected, as it was
/// written: `--json` and the workbook are built from the CSVs and keep the
/// text as written (a JSON string is never evaluated, and the workbook
/// writes it as a text cell). The one text this reads differently is one
/// that itself started with `'` and then a formula character, which no
/// name the tool writes can (scenario names start with a letter, digit,
/// `-` or `_`).
pub fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if for_spreadsheet(rest) == cell => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_protected_cell_reads_back_as_written() {
        for text in ["-true", "=SUM(A1)", "@x", "plain", "-5", "'quoted", ""] {
            assert_eq!(from_spreadsheet(&for_spreadsheet(text)), text);
        }
    }

    #[test]
    fn a_cell_in_a_message_is_escaped_and_cut_to_120_characters() {
        assert_eq!(cell("2026-01-0x"), "2026-01-0x");
        let long = "é".repeat(2_000_000);
        let shown = cell(&long);
        assert_eq!(shown.chars().count(), CELL_SHOWN + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(quoted_cell("a\nb"), quoted(&for_terminal("a\nb")));
    }

    use super::*;

    #[test]
    fn escape_sequences_and_line_breaks_are_shown_not_obeyed() {
        assert_eq!(for_terminal("plain name-1.toml"), "plain name-1.toml");
        assert_eq!(for_terminal("naïve 日本"), "naïve 日本");
        assert_eq!(for_terminal("\u{1b}[2Jred"), "\\u{1b}[2Jred");
        assert_eq!(for_terminal("a\nb\0c\u{7f}"), "a\\nb\\u{0}c\\u{7f}");
        assert_eq!(for_terminal("x\u{9b}y"), "x\\u{9b}y");
        assert_eq!(for_terminal("abc\u{202e}fdp.exe"), "abc\\u{202e}fdp.exe");
    }

    #[test]
    fn values_are_quoted_as_typed_with_control_characters_escaped() {
        assert_eq!(quoted("5%"), "\"5%\"");
        assert_eq!(quoted("\"5%\""), "'\"5%\"'");
        assert_eq!(quoted("12%\""), "'12%\"'");
        assert_eq!(
            quoted("5\n[plan]\nid=\"free\""),
            "'5\\n[plan]\\nid=\"free\"'"
        );
        assert_eq!(quoted("\0"), "\"\\u{0}\"");
        assert_eq!(quoted("it's \"x\""), "\"it's \"x\"\"");
    }

    #[test]
    fn text_that_a_spreadsheet_would_evaluate_gets_a_leading_quote() {
        for cell in [
            "=1+1",
            "+cmd",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
        ] {
            assert_eq!(for_spreadsheet(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["plain", "a=b", "", "'quoted", "2026-01-01", "x-1"] {
            assert_eq!(for_spreadsheet(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn user_text_that_reads_as_a_number_is_protected_like_any_other() {
        // A name `-5` and a name `-A1` end up in the same column: both text.
        for cell in ["-5", "-0.25", "+1.5", "-1e3", "-inf", "-NaN"] {
            assert_eq!(for_spreadsheet(cell), format!("'{cell}"), "{cell:?}");
            assert_eq!(from_spreadsheet(&for_spreadsheet(cell)), cell);
        }
        assert_eq!(for_spreadsheet("12"), "12");
    }
}
