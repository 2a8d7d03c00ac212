//! Character folding: compatibility decomposition without marks, look-alike
//! Cyrillic and Greek letters, apostrophes.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Returns true if and only if `c` is an apostrophe or a mark used for one.
pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

/// Calls `f` with the folded form of `c`: nothing for invisible format
/// characters, the compatibility decomposition without combining marks
/// otherwise (so `ﬁ` → `fi`, `é` → `e`, a no-break space → a space).
pub(super) fn fold_char(c: char, f: &mut impl FnMut(char)) {
    if c.is_ascii() {
        return f(c);
    }
    match c {
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {}
        '\u{2010}'..='\u{2015}' | '\u{2212}' => f('-'),
        _ => decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                f(d)
            }
        }),
    }
}

/// Folds a lowercase Cyrillic or Greek letter that looks like a Latin one to
/// that Latin letter. Applied after lowercasing, so it commutes with case.
pub(crate) fn fold_lookalike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'ε' => 'e',
        'һ' | 'н' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'ԝ' => 'w',
        'х' | 'χ' => 'x',
        'у' => 'y',
        _ => c,
    }
}
