//! The page as HTML: inline CSS, inline SVG, no script and no URL. Every
//! text from the model is escaped here, so a scenario named `<script>`
//! shows as text. The charts' SVG is our own output and goes in as is,
//! minus its XML prologue, with its ids made unique per chart.

use super::{Page, Table};
use crate::charts::Chart;
use std::fmt::Write;

/// Screen: 800–1200 px wide reads well; print: A4 with charts and tables
/// kept whole on a page where they fit.
const CSS: &str = "\
:root{--ink:#1d2430;--muted:#5b6472;--rule:#d5d9e0;--band:#f3f5f8;--accent:#34495e}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px 28px 48px;color:var(--ink);\
font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--rule)}
.subtitle{color:var(--muted);margin:0 0 20px}
.headlines{background:var(--band);border-left:5px solid var(--accent);padding:12px 18px 12px 34px;margin:0}
.headlines li{margin:6px 0;font-size:16.5px}
table{border-collapse:collapse;margin:6px 0 4px;font-size:13.5px}
caption{text-align:left;font-weight:600;padding:0 0 6px;font-size:14.5px}
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.settings th{width:16em;background:none;font-weight:600}
.settings td{white-space:pre-line}
.wide{overflow-x:auto;margin-bottom:18px}
.note{color:var(--muted);font-size:13px;margin:2px 0 14px}
figure{margin:10px 0 26px}
figure svg{display:block;width:100%;max-width:800px;height:auto}
figcaption{color:var(--muted);font-size:13px;margin:4px 0 0}
.notes{color:var(--muted);font-size:13px}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:11pt}
figure,table,.headlines{break-inside:avoid}h2{break-after:avoid}
.wide{overflow:visible}table{font-size:9pt}th,td{padding:2px 6px}}
";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            // A control character (ESC from a file name, say) or a bidi
            // override that would reorder the line (a plan named
            // "abc\u{202e}dcba" would read "abcabcd"): shown by its code
            // point. Line breaks and tabs stay.
            c if !matches!(c, '\n' | '\t' | '\r') && crate::safe_text::moves_the_terminal(c) => {
                s.push_str(&crate::safe_text::code_point(c))
            }
            c => s.push(c),
        }
    }
    s
}

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        escape(&page.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&page.title));
    let _ = writeln!(h, "<p class=\"subtitle\">{}</p>", escape(&page.subtitle));
    if !page.headlines.is_empty() {
        h.push_str("<h2>The answer</h2>\n<ul class=\"headlines\">\n");
        for line in &page.headlines {
            let _ = writeln!(h, "<li>{}</li>", escape(line));
        }
        h.push_str("</ul>\n");
    }
    settings(&mut h, &page.settings);
    if !page.charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
        for (i, chart) in page.charts.iter().enumerate() {
            figure(&mut h, chart, i);
        }
    }
    if !page.tables.is_empty() {
        h.push_str("<h2>Key tables</h2>\n");
        for t in &page.tables {
            table(&mut h, t);
        }
    }
    if !page.notes.is_empty() {
        h.push_str("<h2>About these numbers</h2>\n<div class=\"notes\">\n");
        for n in &page.notes {
            let _ = writeln!(h, "<p>{}</p>", escape(n));
        }
        h.push_str("</div>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn settings(h: &mut String, rows: &[(String, String)]) {
    if rows.is_empty() {
        return;
    }
    h.push_str("<h2>What was simulated</h2>\n<div class=\"wide\"><table class=\"settings\">\n");
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    h.push_str("</table></div>\n");
}

fn table(h: &mut String, t: &Table) {
    let class = |i: usize| {
        if i >= t.numeric_from {
            " class=\"num\""
        } else {
            ""
        }
    };
    h.push_str("<div class=\"wide\"><table>\n");
    let _ = writeln!(h, "<caption>{}</caption>", escape(&t.caption));
    if !t.header.is_empty() {
        h.push_str("<thead><tr>");
        for (i, c) in t.header.iter().enumerate() {
            let _ = write!(h, "<th{}>{}</th>", class(i), escape(c));
        }
        h.push_str("</tr></thead>\n");
    }
    h.push_str("<tbody>\n");
    for row in &t.rows {
        h.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let _ = write!(h, "<td{}>{}</td>", class(i), escape(c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
    if !t.note.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&t.note));
    }
}

fn figure(h: &mut String, chart: &Chart, index: usize) {
    h.push_str("<figure>\n");
    match inline_svg(&chart.svg, index) {
        Some(svg) => h.push_str(&svg),
        // Never expected (the charts are ours), but the page's promise of
        // no script and no fetch does not rest on that.
        None => h.push_str("<p class=\"note\">(chart left out: it is not a plain SVG)</p>"),
    }
    // The title is drawn on the chart too; the caption numbers it and says
    // where the chart is on its own.
    let _ = writeln!(
        h,
        "\n<figcaption>Figure {}: {} ({})</figcaption>\n</figure>",
        index + 1,
        escape(&chart.title),
        escape(&chart.file_name)
    );
}

/// The `<svg>` element of a standalone SVG document, ready to go inline:
/// the XML declaration and doctype dropped, and every id prefixed with
/// `c<index>-` so two charts' gradients or clip paths cannot collide.
/// `None` if it is not an SVG, or holds a script, an event handler, a
/// foreign object or a link to anything outside itself.
pub fn inline_svg(svg: &str, index: usize) -> Option<String> {
    let start = svg.find("<svg")?;
    let body = svg[start..].trim_end();
    if !body.ends_with("</svg>") || !is_plain_svg(body) {
        return None;
    }
    let prefix = format!("c{index}-");
    Some(
        body.replace(" id=\"", &format!(" id=\"{prefix}"))
            .replace("url(#", &format!("url(#{prefix}"))
            .replace("href=\"#", &format!("href=\"#{prefix}")),
    )
}

/// Looks at the markup only (tags and the style sheet): text between tags
/// is escaped, so a plan named `<b onclick=…>` in a chart's subtitle is
/// harmless text and keeps the chart.
fn is_plain_svg(svg: &str) -> bool {
    let lower = svg.to_ascii_lowercase();
    let tags: Vec<&str> = lower
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
        .collect();
    let forbidden = ["script", "foreignobject", "iframe"];
    let style = lower
        .split_once("<style")
        .and_then(|(_, rest)| rest.split_once("</style"))
        .map_or("", |(css, _)| css);
    tags.iter().all(|tag| {
        let name = tag.split_whitespace().next().unwrap_or("");
        !forbidden.contains(&name)
            && !tag.contains("javascript:")
            && !has_event_handler(tag)
            && external_urls(tag).is_empty()
    }) && !style.contains("@import")
        && external_urls(style).is_empty()
}

/// An attribute such as `onload=` or `onclick =` after any white space
/// (a word like "only" is not one: no `=` follows it).
fn has_event_handler(tag: &str) -> bool {
    let words: Vec<&str> = tag.split_whitespace().skip(1).collect();
    words.iter().enumerate().any(|(i, w)| {
        let Some(rest) = w.strip_prefix("on") else {
            return false;
        };
        let after = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        after.len() < rest.len()
            && (after.starts_with('=')
                || (after.is_empty() && words.get(i + 1).is_some_and(|n| n.starts_with('='))))
    })
}

/// Every reference to a resource in `text`: an attribute or CSS `url(…)`
/// value that is a URL (`http:`, `//`, `data:` …), any `src`, or an `href`
/// or `url(…)` to anything but a fragment (`#id`) of the page itself. An
/// XML namespace (`xmlns="http://www.w3.org/2000/svg"`) names a vocabulary
/// and is never fetched, so it is allowed. Escaped user text cannot match:
/// its quotes are entities.
pub fn external_urls(text: &str) -> Vec<String> {
    const SCHEMES: [&str; 7] = [
        "http:",
        "https:",
        "//",
        "data:",
        "file:",
        "ftp:",
        "javascript:",
    ];
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for opener in ["=\"", "='", "url("] {
        for (i, _) in lower.match_indices(opener) {
            let value = lower[i + opener.len()..].trim_start_matches(['"', '\'', ' ']);
            let attribute = lower[..i]
                .rsplit(|c: char| c.is_whitespace() || c == '<')
                .next()
                .unwrap_or("");
            let local = opener == "url(" || attribute.ends_with("href");
            let is_resource = SCHEMES.iter().any(|s| value.starts_with(s))
                || attribute == "src"
                || (local && !value.starts_with('#'));
            let is_namespace = attribute == "xmlns" || attribute.starts_with("xmlns:");
            if is_resource && !is_namespace {
                found.push(value.chars().take(60).collect());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(svg: &str) -> Chart {
        Chart {
            file_name: "a.svg".to_string(),
            title: "A <chart>".to_string(),
            svg: svg.to_string(),
        }
    }

    const SVG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><defs><clipPath id=\"plot\"><rect width=\"5\" height=\"5\"/></clipPath></defs><rect clip-path=\"url(#plot)\" width=\"10\" height=\"10\" fill=\"#123456\"/></svg>\n";

    #[test]
    fn every_text_of_the_page_is_escaped() {
        let page = Page {
            title: "<script>alert(1)</script>".to_string(),
            subtitle: "a & b".to_string(),
            headlines: vec!["\"quoted\" 'single'".to_string()],
            settings: vec![("<k>".to_string(), "<v>".to_string())],
            charts: vec![chart(SVG)],
            tables: vec![Table {
                caption: "<cap>".to_string(),
                header: vec!["<h>".to_string()],
                rows: vec![vec!["<td>".to_string()]],
                numeric_from: 1,
                note: "<note>".to_string(),
            }],
            notes: vec!["<n>".to_string()],
        };
        let html = render(&page);
        assert!(!html.contains("<script"), "{html}");
        for raw in ["<k>", "<v>", "<cap>", "<h>", "<note>", "<n>", "<chart>"] {
            assert!(!html.contains(raw), "{raw} is escaped");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;quoted&quot; &#39;single&#39;"));
        assert!(html.contains("<td>&lt;td&gt;</td>"));
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_shown_escaped_and_line_breaks_kept() {
        assert_eq!(escape("a\u{1b}[31mb"), "a[U+001B][31mb");
        assert_eq!(escape("abc\u{202E}dcba"), "abc[U+202E]dcba");
        assert_eq!(escape("a<\u{2066}>"), "a&lt;[U+2066]&gt;");
        assert_eq!(escape("one\ntwo\tthree"), "one\ntwo\tthree");
    }

    #[test]
    fn a_multi_line_setting_keeps_its_line_breaks_on_the_page() {
        let page = Page {
            title: "t".to_string(),
            subtitle: String::new(),
            headlines: Vec::new(),
            settings: vec![("Description".to_string(), "one\ntwo".to_string())],
            charts: Vec::new(),
            tables: Vec::new(),
            notes: Vec::new(),
        };
        let html = render(&page);
        // HTML folds a line break into a space unless the cell keeps it.
        assert!(html.contains("<td>one\ntwo</td>"), "{html}");
        assert!(
            html.contains(".settings td{white-space:pre-line}"),
            "{html}"
        );
    }

    #[test]
    fn a_chart_goes_inline_without_its_prologue_and_with_unique_ids() {
        let svg = inline_svg(SVG, 3).expect("a plain SVG");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<clipPath id=\"c3-plot\">"));
        assert!(svg.contains("url(#c3-plot)"));
        assert!(!svg.contains("<?xml"));
        assert!(external_urls(&svg).is_empty());
    }

    #[test]
    fn an_svg_with_a_script_handler_or_external_link_is_left_out() {
        let bad = [
            "<svg><script>alert(1)</script></svg>",
            "<svg><rect onload=\"x()\"/></svg>",
            "<svg><rect\n\tonclick = \"x()\"/></svg>",
            "<svg><image href=\"https://example.org/a.png\"/></svg>",
            "<svg><foreignObject></foreignObject></svg>",
            "not an svg",
        ];
        for svg in bad {
            assert_eq!(inline_svg(svg, 0), None, "{svg}");
        }
        // Words that merely start with "on" are fine, and so is escaped
        // markup in text (a hostile plan name in a subtitle).
        assert!(inline_svg("<svg><text> only one</text></svg>", 0).is_some());
        let text = "<svg><text>&lt;b onclick=x() src=y&gt; https://x.org</text></svg>";
        assert!(inline_svg(text, 0).is_some());
        let html = render(&Page {
            charts: vec![chart(bad[0])],
            ..Page::default()
        });
        assert!(html.contains("chart left out") && !html.contains("<script"));
    }

    #[test]
    fn only_namespace_urls_are_allowed() {
        assert!(external_urls("<svg xmlns=\"http://www.w3.org/2000/svg\">").is_empty());
        assert!(external_urls("<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\">").is_empty());
        assert_eq!(external_urls("<img src=\"x.png\">").len(), 1);
        assert_eq!(external_urls("<a href=\"https://x.org\">").len(), 1);
        assert_eq!(external_urls("<use href=\"other.svg#a\"/>").len(), 1);
        assert_eq!(external_urls("background:url(data:image/png)").len(), 1);
        assert!(external_urls("<use href=\"#a\"/> url(#b) &quot;http://x&quot;").is_empty());
    }
}
