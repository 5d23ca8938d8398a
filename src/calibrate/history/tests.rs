//! The history reader's tests: what it reads, and what it refuses and how.

use super::*;

fn read(text: &str) -> Result<History, HistoryProblem> {
    parse(text, &ReadOptions::default())
}

fn with(text: &str, options: ReadOptions) -> Result<History, HistoryProblem> {
    parse(text, &options)
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// The error's message, which must name what the issue asks.
fn message(text: &str, options: ReadOptions) -> String {
    match parse(text, &options) {
        Ok(h) => panic!("accepted: {h:?}"),
        Err(e) => e.to_string(),
    }
}

fn contains_all(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "{msg:?} lacks {p:?}");
    }
}

#[test]
fn ages_and_delays_are_whole_days_to_the_latest_date() {
    let h = read(
        "sent,replied,outcome\n\
         2026-03-01,2026-03-03,accepted\n\
         2026-03-02T18:00,,\n\
         2026-03-04,2026-03-04T23:00,declined\n\
         2026-03-10,,\n",
    )
    .unwrap();
    assert_eq!(h.as_of, date("2026-03-10"));
    assert_eq!(
        (h.first_sent, h.last_sent),
        (date("2026-03-01"), date("2026-03-10"))
    );
    // Sent on the as-of day and unanswered: no time to answer, left out.
    assert_eq!(h.too_young, 1);
    let got: Vec<(u32, Option<u32>, Option<bool>)> = h
        .messages
        .iter()
        .map(|m| (m.age, m.delay, m.declined))
        .collect();
    // A same-day answer is 1 day (credit-rules §4c: at least 1).
    assert_eq!(
        got,
        [
            (9, Some(2), Some(false)),
            (8, None, None),
            (6, Some(1), Some(true))
        ]
    );
    assert_eq!(h.answered(), 2);
}

#[test]
fn an_explicit_as_of_date_ages_every_message() {
    let options = ReadOptions {
        as_of: Some(date("2026-03-20")),
        ..ReadOptions::default()
    };
    let h = with("sent,replied\n2026-03-10,\n", options).unwrap();
    assert_eq!((h.too_young, h.messages[0].age), (0, 10));
}

#[test]
fn a_mapping_names_the_columns_of_another_export() {
    let options = ReadOptions {
        columns: Columns::parse("sent=Date Sent, replied = Reply Date,id=Message ID,seat=Sender")
            .unwrap(),
        ..ReadOptions::default()
    };
    let text =
        "Message ID,date sent,Reply Date,Sender\nA,2026-01-02,,ann\nB,2026-01-05,2026-01-06,bob\n";
    let h = with(text, options).unwrap();
    assert_eq!(h.seats, Some(2));
    let got: Vec<(u32, Option<u32>)> = h.messages.iter().map(|m| (m.age, m.delay)).collect();
    assert_eq!(got, [(4, None), (1, Some(1))]);
}

#[test]
fn slashed_dates_are_read_in_the_order_the_file_settles() {
    let us = read("sent,replied\n03/04/2026,03/13/2026\n03/20/2026,\n").unwrap();
    assert_eq!(
        (us.first_sent, us.as_of),
        (date("2026-03-04"), date("2026-03-20"))
    );
    let eu = read("sent,replied\n03/04/2026,13/04/2026\n20/04/2026,\n").unwrap();
    assert_eq!(
        (eu.first_sent, eu.as_of),
        (date("2026-04-03"), date("2026-04-20"))
    );
    // Reads the same both ways: no ambiguity.
    let same = read("sent,replied\n01/01/2026,\n2026-01-05,\n").unwrap();
    assert_eq!(same.first_sent, date("2026-01-01"));
    let told = ReadOptions {
        format: DateFormat::DayFirst,
        ..ReadOptions::default()
    };
    let h = with("sent,replied\n03/04/2026,\n05/04/2026,\n", told).unwrap();
    assert_eq!(h.first_sent, date("2026-04-03"));
}

#[test]
fn bad_files_are_refused_naming_row_column_value_and_what_is_allowed() {
    let d = ReadOptions::default;
    let cases: Vec<(&str, ReadOptions, Vec<&str>)> = vec![
        (
            "",
            d(),
            vec!["the file is empty", "\"sent\" and \"replied\""],
        ),
        ("sent,replied\n", d(), vec!["no rows"]),
        (
            "date,replied\n2026-01-01,\n",
            d(),
            vec![
                "no column named \"sent\"",
                "sent date",
                "\"date\", \"replied\"",
                "sent=Date Sent",
            ],
        ),
        (
            "sent,replied\n2026-01-01,\n2026-01-32,\n",
            d(),
            vec![
                "row 3",
                "column \"sent\"",
                "\"2026-01-32\" is not a date",
                "allowed: a date as YYYY-MM-DD",
            ],
        ),
        (
            "sent,replied\n2026-01-01,soon\n",
            d(),
            vec!["row 2", "column \"replied\"", "\"soon\""],
        ),
        (
            "sent,replied\n03/04/2026,\n05/06/2026,\n",
            d(),
            vec![
                "row 2",
                "\"03/04/2026\" reads as two different dates",
                "name the date format (--date-format mm/dd/yyyy or dd/mm/yyyy)",
            ],
        ),
        (
            "sent,Sent ,replied\n2026-01-01,2026-01-02,\n",
            d(),
            vec![
                "the header names \"sent\" in columns 1 and 2",
                "the sent date is ambiguous",
            ],
        ),
        (
            "sent,replied,outcome,OUTCOME\n2026-01-01,,,\n",
            d(),
            vec!["\"outcome\" in columns 3 and 4", "the outcome is ambiguous"],
        ),
        (
            "sent,replied\n13/04/2026,\n04/13/2026,\n",
            d(),
            vec![
                "mixes date orders",
                "row 2",
                "\"13/04/2026\"",
                "row 3",
                "\"04/13/2026\"",
            ],
        ),
        (
            "sent,replied\n2026-01-01,\n2026-01-10,2026-01-09\n",
            d(),
            vec![
                "row 3",
                "response date 2026-01-09",
                "before the sent date 2026-01-10",
                "on or after",
            ],
        ),
        (
            "sent,replied\n2026-01-01,2026-02-01\n",
            ReadOptions {
                as_of: Some(date("2026-01-15")),
                ..d()
            },
            vec![
                "row 2",
                "column \"replied\"",
                "2026-02-01 is after the as-of date 2026-01-15",
            ],
        ),
        (
            "id,sent,replied\na1,2026-01-01,\na2,2026-01-02,\na1,2026-01-03,\n",
            d(),
            vec!["row 4", "column \"id\"", "\"a1\" was already used on row 2"],
        ),
        (
            "sent,replied,outcome\n2026-01-01,2026-01-02,maybe\n",
            d(),
            vec![
                "row 2",
                "column \"outcome\"",
                "\"maybe\"",
                "\"accepted\", \"declined\" or empty",
            ],
        ),
        (
            "sent,replied,outcome\n2026-01-01,,declined\n2026-01-04,,\n",
            d(),
            vec!["row 2", "outcome \"declined\" needs a response date"],
        ),
        (
            "sent,replied\n2026-01-04,\n2026-01-04,\n",
            d(),
            vec![
                "no InMail old enough",
                "all 2 were sent on the as-of date 2026-01-04",
            ],
        ),
        (
            "sent,replied\n2026-01-01,\n2026-01-02\n",
            d(),
            vec!["row 3", "1 cell where the header has 2"],
        ),
        (
            "sent,replied\n2026-01-01,\n",
            ReadOptions {
                columns: Columns::parse("outcome=Status").unwrap(),
                ..d()
            },
            vec!["no column named \"Status\" for the outcome"],
        ),
    ];
    for (text, options, parts) in cases {
        contains_all(&message(text, options), &parts);
    }
}

#[test]
fn duplicate_ids_are_fine_without_an_id_column_and_empty_ids_never_clash() {
    assert!(read("sent,replied,tag\n2026-01-01,,a\n2026-01-02,,a\n").is_ok());
    assert!(read("id,sent,replied\n,2026-01-01,\n,2026-01-02,\n").is_ok());
}

#[test]
fn two_roles_never_read_one_column_and_a_default_optional_one_gives_way() {
    let with = |mapping: &str, text: &str| {
        let options = ReadOptions {
            columns: Columns::parse(mapping).unwrap(),
            ..ReadOptions::default()
        };
        parse(text, &options)
    };
    let text = "date,x\n2026-01-05,\n2026-01-06,\n";
    let e = with("sent=date,replied=date", text)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the sent date and the response date would both read column \"date\""),
        "{e}"
    );
    let e = with("sent=date,replied=x,outcome=x", text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("the response date and the outcome"), "{e}");
    // `id` at its default would read the column now read as the sent date:
    // it gives way, and the file reads as it would without ids.
    let ids = "id,replied\n2026-01-05,\n2026-01-06,2026-01-07\n";
    let h = with("sent=id", ids).unwrap();
    assert_eq!(h.messages.len(), 2);
}

#[test]
fn a_column_named_twice_is_fine_when_no_role_reads_it() {
    assert!(read("sent,replied,tag,tag\n2026-01-01,,a,b\n2026-01-02,,a,b\n").is_ok());
}

#[test]
fn bad_mappings_are_refused() {
    for (text, why) in [
        ("sent", "is not role=column"),
        ("sent=", "no column name"),
        ("sent=a,sent=b", "named twice"),
        ("when=a", "unknown role \"when\"; allowed: sent, replied"),
    ] {
        let e = Columns::parse(text).unwrap_err().to_string();
        assert!(e.contains(why), "{text}: {e}");
    }
}

#[test]
fn load_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.csv");
    std::fs::write(&path, "sent,replied\n").unwrap();
    let e = load(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("{}: ", path.display())), "{e}");
    let e = load(dir.path(), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a regular file"), "{e}");
}

#[test]
fn a_file_streamed_without_its_text_still_quotes_a_refused_rows_cells_and_hashes_every_byte() {
    // The rows keep no text: the refused row's cells are read again from
    // the file, past its byte-order mark and a quoted multi-line cell.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.csv");
    let text = "\u{feff}note,sent,replied\n\"two\nlines\",2026-01-01,\n\
                x, 2026-01-10 ,2026-01-09T08:00\n";
    std::fs::write(&path, text).unwrap();
    let e = load(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    contains_all(
        &e,
        &[
            "row 4",
            "response date 2026-01-09T08:00",
            "before the sent date 2026-01-10 ",
        ],
    );
    std::fs::write(&path, text.replace("2026-01-09", "2026-01-19")).unwrap();
    let (h, sha) = load_hashed(&path, &ReadOptions::default()).unwrap();
    assert_eq!(h.messages.len(), 2);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(sha, crate::scenario::sha256_hex(&bytes));
}

#[test]
fn a_window_counts_later_answers_as_none_and_caps_every_age() {
    // As of 2026-06-01: answered after 2 and after 40 days, one unanswered
    // 100 days old, one 10 days old. A 30-day window: the 40-day answer is
    // none (and its outcome unknown), the 100-day-old InMail counts as 30.
    let mut h = read(
        "sent,replied,outcome\n2026-05-20,2026-05-22,accepted\n2026-02-21,2026-04-01,declined\n\
         2026-02-21,,\n2026-05-22,,\n2026-06-01,2026-06-01,accepted\n",
    )
    .unwrap();
    assert_eq!(h.within(30), 1);
    let got: Vec<(u32, Option<u32>, Option<bool>)> = h
        .messages
        .iter()
        .map(|m| (m.age, m.delay, m.declined))
        .collect();
    assert_eq!(
        got,
        [
            (12, Some(2), Some(false)),
            (30, None, None),
            (30, None, None),
            (10, None, None),
            (0, Some(1), Some(false)),
        ]
    );
    assert_eq!(h.within(30), 0, "a second pass changes nothing");
}

#[test]
fn a_workbook_or_utf16_file_is_refused_with_how_to_export_it_as_utf8_csv() {
    let utf16: Vec<u8> = "sent,replied\n2026-01-01,\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut with_mark = vec![0xFF, 0xFE];
    with_mark.extend(&utf16);
    for (bytes, what) in [
        (
            b"PK\x03\x04\x14\x00rest".to_vec(),
            "a zip archive (an .xlsx",
        ),
        (with_mark, "UTF-16 text (its byte-order mark"),
        (utf16, "its header holds NUL bytes"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.csv");
        std::fs::write(&path, bytes).unwrap();
        let e = load(&path, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        contains_all(
            &e,
            &[
                what,
                "allowed: a comma-separated CSV file in UTF-8",
                "CSV UTF-8",
            ],
        );
    }
}

#[test]
fn a_file_separated_by_semicolons_or_tabs_says_so_and_that_commas_are_read() {
    for (text, by) in [
        ("sent;replied\n2026-01-01;\n", "semicolons"),
        ("sent\treplied\n2026-01-01\t\n", "tabs"),
    ] {
        let e = message(text, ReadOptions::default());
        contains_all(
            &e,
            &[
                "no column named \"sent\"",
                &format!("the file seems to be separated by {by}"),
                "calibrate reads comma-separated CSV",
            ],
        );
    }
}

#[test]
fn a_latest_date_after_today_or_far_beyond_the_others_is_refused_as_the_as_of_date() {
    // A mistyped year: 9062 is after any today this test will see.
    let e = message(
        "sent,replied\n2025-01-01,2025-01-03\n2025-02-01,9062-02-03\n",
        ReadOptions::default(),
    );
    contains_all(
        &e,
        &[
            "row 3",
            "column \"replied\"",
            "9062-02-03 is after today",
            "--as-of",
        ],
    );
    // Two years after every other date, all in the past (2023 for 2021?).
    let text = "sent,replied\n2020-01-01,2020-01-03\n2021-02-01,\n2023-02-01,\n";
    let e = message(text, ReadOptions::default());
    contains_all(
        &e,
        &[
            "row 4",
            "column \"sent\"",
            "2023-02-01 is 730 days after every other date",
            "the next latest is 2021-02-01, on row 3",
            "within 366 days",
        ],
    );
    // Said with --as-of, the same file is read.
    let told = ReadOptions {
        as_of: Some(date("2023-02-01")),
        ..ReadOptions::default()
    };
    assert_eq!(with(text, told).unwrap().as_of, date("2023-02-01"));
    // A year's pause is not refused.
    let h = read("sent,replied\n2021-01-01,\n2022-01-02,\n").unwrap();
    assert_eq!(h.as_of, date("2022-01-02"));
}

#[test]
fn rows_are_the_file_s_own_lines_after_crlf_line_ends_and_blank_lines() {
    // The csv reader numbers a record before the previous line's pending
    // LF (CRLF files) and before the blank lines it skips: one low each.
    let cases = [
        ("id,sent,replied\r\na,2026-01-02,,\r\n", "row 2: 4 cells"),
        (
            "id,sent,replied\r\na,2026-01-02,\r\nb,2026-01-03,\r\nc,2026-01-0x,\r\n",
            "row 4, column \"sent\"",
        ),
        (
            "id,sent,replied\na,2026-01-02,\n\nb,2026-01-0x,\n",
            "row 4, column \"sent\"",
        ),
        (
            "id,sent,replied\r\na,2026-01-02,\r\nb,2026-01-03,\r\na,2026-01-05,\r\n",
            "row 4, column \"id\": the id \"a\" was already used on row 2",
        ),
        (
            "id,sent,replied\r\na,2026-01-02,\r\n\r\n\r\nb,\"x\r\ny\",\r\n",
            "row 5, column \"sent\"",
        ),
        // LF without blank lines: the reader's own numbers, unchanged.
        (
            "id,sent,replied\na,2026-01-02,\nb,2026-01-03,\na,2026-01-05,\n",
            "row 4, column \"id\": the id \"a\" was already used on row 2",
        ),
    ];
    for (text, expected) in cases {
        let msg = message(text, ReadOptions::default());
        assert!(msg.contains(expected), "{text:?}: {msg}");
    }
}
