//! Invented text for benchmarks: a deterministic generator of news-like
//! sentences (no corpus, no randomness between runs).

use std::fmt::Write as _;

/// A tiny deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "minister",
    "talks",
    "delegation",
    "agreement",
    "harbour",
    "grain",
    "pipeline",
    "council",
    "budget",
    "court",
    "election",
    "railway",
    "winter",
    "exports",
    "treaty",
    "summit",
    "bank",
    "rates",
    "inflation",
    "satellite",
    "launch",
    "border",
    "farmers",
    "factory",
    "energy",
    "prices",
    "regional",
    "officials",
    "reported",
    "Tuesday",
    "statement",
    "committee",
    "spokesman",
    "negotiators",
    "forecast",
    "tonnes",
    "percent",
    "capital",
    "northern",
];

/// One sentence of 12–25 words with a number in it.
pub fn sentence(rng: &mut Rng) -> String {
    let n = 12 + (rng.next() % 14) as usize;
    let mut s = String::new();
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i == n / 2 {
            let _ = write!(s, " {}", rng.next() % 1000);
        }
    }
    s.push('.');
    s
}

/// About `words` words of prose in sentences and paragraphs, from `seed`.
pub fn prose(seed: u64, words: usize) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::with_capacity(words * 8);
    let mut count = 0;
    let mut in_paragraph = 0;
    while count < words {
        let s = sentence(&mut rng);
        count += s.split_whitespace().count();
        if !out.is_empty() {
            out.push_str(if in_paragraph == 3 { "\n\n" } else { " " });
        }
        in_paragraph = if in_paragraph == 3 {
            0
        } else {
            in_paragraph + 1
        };
        out.push_str(&s);
    }
    out
}

/// An article page of outlet `outlet` in the chrome of a typical news site:
/// a navigation bar of sections, the article, a "most read" box and a footer.
pub fn article_page(outlet: usize, title: &str, paragraphs: &[String]) -> String {
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Outlet {outlet}</title></head><body>\
         <nav><ul>{}</ul></nav><div class=\"layout\"><article><h1>{title}</h1>",
        (0..12).map(|i| format!("<li><a href=\"/section/{i}/\">Section {i}</a></li>")).collect::<String>()
    );
    for p in paragraphs {
        let _ = write!(html, "<p>{p}</p>");
    }
    html.push_str("</article><aside class=\"most-read\"><h3>Most read</h3><ol>");
    for i in 0..10 {
        let _ = write!(html, "<li><a href=\"/news/{i}.html\">Another headline number {i} from the wire today</a></li>");
    }
    html.push_str(
        "</ol></aside></div><footer>© Outlet. All rights reserved.</footer></body></html>",
    );
    html
}
