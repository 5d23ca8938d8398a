//! A small SVG writer: only what the charts draw (rectangles, lines,
//! polylines, polygons, circles and text).
//!
//! Why not a plotting crate: without a font library (`ttf` needs
//! fontconfig/freetype; `ab_glyph` needs a font file) `plotters` only
//! guesses text sizes, so its label areas must be sized by hand anyway, and
//! the charts' tests read the drawn coordinates back through the axes,
//! which is simplest when this crate owns the mapping. So the SVG is
//! written here, in a fixed element order with every coordinate rounded to
//! 0.1 px by one function: the same statistics give byte-identical files.
//!
//! Every string that can come from a user (scenario, plan and input names)
//! goes through [`escape`]; attribute strings passed as `attrs` are
//! constants of this module's callers, never user text.

use std::fmt::Write as _;

/// Canvas size in px: readable at 800 px wide, the width of a README page.
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 480.0;

/// The sans-serif average character width as a share of the font size,
/// used to keep text inside its space without a font library.
const CHAR_WIDTH: f64 = 0.58;

/// Escapes text for XML character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0, and a bidi
            // override would reorder the label: shown by code point, as
            // report.html shows them ([U+202E]).
            c if c != '\t' && c != '\n' && crate::safe_text::moves_the_terminal(c) => {
                out.push_str(&crate::safe_text::code_point(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A coordinate to 0.1 px, never "-0"; non-finite values (which no chart
/// should produce) become 0 so that the file stays valid SVG.
pub fn px(v: f64) -> String {
    let r = if v.is_finite() {
        (v * 10.0).round() / 10.0
    } else {
        0.0
    };
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The estimated width of `text` at font size `size`.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_WIDTH
}

/// The largest font size up to `max` at which `text` fits in `width`
/// (at least 8 px: below that it is unreadable anyway).
pub fn fit(text: &str, width: f64, max: f64) -> f64 {
    let at_one = text_width(text, 1.0).max(1.0);
    (width / at_one).clamp(8.0, max).floor()
}

/// `text` cut with "…" to fit `width` at font size `size`.
pub fn clip(text: &str, width: f64, size: f64) -> String {
    let fits = (width / (size * CHAR_WIDTH)).floor().max(1.0) as usize;
    if text.chars().count() <= fits {
        text.to_string()
    } else {
        let kept: String = text.chars().take(fits.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// An SVG document being drawn, back to front.
#[derive(Debug, Clone)]
pub struct Svg {
    title: String,
    body: String,
}

impl Svg {
    /// A blank canvas; `title` becomes the document's `<title>`.
    pub fn new(title: &str) -> Svg {
        Svg {
            title: title.to_string(),
            body: String::new(),
        }
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" {attrs}/>"#,
            px(x),
            px(y),
            px(w.max(0.0)),
            px(h.max(0.0))
        );
    }

    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {attrs}/>"#,
            px(x1),
            px(y1),
            px(x2),
            px(y2)
        );
    }

    pub fn circle(&mut self, (x, y): (f64, f64), r: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" {attrs}/>"#,
            px(x),
            px(y),
            px(r)
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" {attrs}/>"#,
            points_attr(points)
        );
    }

    pub fn polygon(&mut self, points: &[(f64, f64)], attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<polygon points="{}" {attrs}/>"#,
            points_attr(points)
        );
    }

    /// Text centred vertically on `y` (dominant-baseline middle), so a
    /// tick label's `y` is exactly its tick's.
    pub fn text(&mut self, (x, y): (f64, f64), text: &str, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" dominant-baseline="middle" {attrs}>{}</text>"#,
            px(x),
            px(y),
            escape(text)
        );
    }

    /// Text turned 90° anticlockwise about its anchor (a y-axis label).
    pub fn text_up(&mut self, (x, y): (f64, f64), text: &str, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x}" y="{y}" dominant-baseline="middle" transform="rotate(-90 {x} {y})" {attrs}>{}</text>"#,
            escape(text),
            x = px(x),
            y = px(y),
        );
    }

    /// The complete document.
    pub fn finish(self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n\
<title>{}</title>\n\
<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{}</svg>\n",
            escape(&self.title),
            self.body,
            w = px(WIDTH),
            h = px(HEIGHT),
        )
    }
}

fn points_attr(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|&(x, y)| format!("{},{}", px(x), px(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(escape(r#"a<b&c>"d'"#), "a&lt;b&amp;c&gt;&quot;d&apos;");
        assert_eq!(escape("bell\u{7}"), "bell[U+0007]");
        assert_eq!(escape("abc\u{202e}dcba"), "abc[U+202E]dcba");
    }

    #[test]
    fn coordinates_are_rounded_to_a_tenth_and_never_negative_zero() {
        assert_eq!(px(1.04), "1");
        assert_eq!(px(1.06), "1.1");
        assert_eq!(px(-0.01), "0");
        assert_eq!(px(f64::NAN), "0");
        assert_eq!(px(-12.25), "-12.3");
    }

    #[test]
    fn long_text_is_shrunk_or_clipped_to_fit() {
        assert_eq!(fit("short", 760.0, 18.0), 18.0);
        let medium = "x".repeat(100);
        let size = fit(&medium, 760.0, 18.0);
        assert!(size < 18.0 && text_width(&medium, size) <= 760.0);
        let long = "x".repeat(200);
        assert_eq!(fit(&long, 760.0, 18.0), 8.0, "never below 8 px");
        let cut = clip(&long, 100.0, 12.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 12.0) <= 100.0);
        assert_eq!(clip("ok", 100.0, 12.0), "ok");
    }
}
