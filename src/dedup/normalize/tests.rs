use super::*;

fn words(text: &str) -> String {
    let mut t = Tokens::default();
    push_line(text, &mut t);
    t.words().collect::<Vec<_>>().join(" ")
}

#[test]
fn folds_typography_and_lookalikes() {
    assert_eq!(
        words("Moscow’s “dialogue” — 100,000"),
        "moscows dialog 100000"
    );
    assert_eq!(
        words("Moscow's \"dialog\" - 100000"),
        "moscows dialog 100000"
    );
    // Cyrillic а, о and е in a Latin word, a zero-width space and a soft hyphen.
    assert_eq!(
        words("L\u{430}vr\u{43e}v s\u{200b}aid\u{ad}s"),
        "lavrov saids"
    );
    assert_eq!(words("ＦＵＬＬ café"), "full cafe");
}

#[test]
fn line_filter_keeps_prose() {
    assert!(keep_line(
        "Russia is ready to consider ways to improve its relations, Lavrov said."
    ));
    assert!(!keep_line("  12 February 2018    Read: 1344"));
    assert!(!keep_line("More about: #Lavrov"));
    assert!(!keep_line(
        "Moscow names condition for ‘normalizing’ relations with US"
    ));
    assert!(!keep_line("© Stanislav Krasilnikov/TASS"));
    assert!(!keep_line("Read also"));
    assert!(!keep_line(
        "Russia Ready to Continue Security Dialogue with U.S."
    ));
    assert!(keep_line(
        "Foreign Minister Sergei Lavrov told President Vladimir Putin on Monday."
    ));
    assert!(!keep_line("{{item.group_date}}"));
    assert!(!keep_line(
        "Your email address will not be published. Required fields are marked *"
    ));
    assert!(!keep_line(
        "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon \
         chevron righticon chevron upicon closeicon v-compressicon downloadicon editicon fm"
    ));
}

#[test]
fn drops_agency_credits() {
    let a =
        tokens("Lavrov said Sunday, Sputnik reported. He added that nothing changed at all here.");
    let b = tokens("Lavrov said Sunday. He added that nothing changed at all here.");
    assert_eq!(a.words().collect::<Vec<_>>(), b.words().collect::<Vec<_>>());
    let c = tokens("According to TASS, Lavrov said Sunday. He added that nothing changed at all.");
    assert_eq!(c.word(0), "lavrov");
}

#[test]
fn marks_anchors() {
    let t = tokens("The minister met Sergei Lavrov in Sochi on 7 February.");
    let anchors: Vec<&str> = (0..t.len())
        .filter(|&i| t.is_anchor(i))
        .map(|i| t.word(i))
        .collect();
    assert_eq!(anchors, ["sergei", "lavrov", "sochi", "7", "february"]);
}

#[test]
fn placeholders_are_two_braces() {
    for (line, want) in [
        ("Posted {{item.group_date}} by staff", true),
        ("{{", true),
        ("a { b } c { d", false),
        ("ends with a brace {", false),
        ("{ {x} }", false),
        ("}{{", true),
        ("", false),
    ] {
        assert_eq!(has_placeholder(line), want, "{line:?}");
    }
}
