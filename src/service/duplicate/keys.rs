//! Comparable forms of a customer: the name as people write it variously (张先生, 张明,
//! Zhang Ming, ZHANG MING, ＺＨＡＮＧ　ＭＩＮＧ), its pinyin, and the company without its legal
//! suffix — and the score of two customers' likeness from them. Pure; no database.

use entity::enums::CustomerKind;
use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

/// Forms of address after a Chinese surname or name, longest first.
const HONORIFICS: [&str; 10] = ["先生", "女士", "小姐", "太太", "经理", "老师", "师傅", "老板", "总", "姐"];
/// English forms of address before a name.
const TITLES: [&str; 6] = ["mr", "mrs", "ms", "miss", "dr", "prof"];
/// Legal-form and group suffixes of company names, longest first (compared after
/// punctuation and spaces are gone).
const COMPANY_SUFFIXES: [&str; 14] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "coltd",
    "limited",
    "company",
    "corporation",
    "group",
    "corp",
    "inc",
    "ltd",
];

/// The comparable forms of one customer (stored as `match_*` columns).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Keys {
    /// The name folded (width, case, spaces, punctuation) without forms of address or
    /// legal suffixes; empty when nothing is left.
    pub name: String,
    /// The pinyin of that name, Latin letters kept: 张明 and Zhang Ming both `zhangming`.
    pub pinyin: String,
    /// The company folded without its legal suffix: the company name, or a company
    /// customer's own name.
    pub company: String,
}

/// The keys of a customer of `kind` named `name` at `company`.
pub fn keys(kind: CustomerKind, name: &str, company: Option<&str>) -> Keys {
    let is_company = kind == CustomerKind::Company;
    let name = if is_company { company_form(name) } else { person_form(name) };
    let company = match company {
        Some(c) => company_form(c),
        None if is_company => name.clone(),
        None => String::new(),
    };
    Keys { pinyin: pinyin_of(&name), name, company }
}

/// NFKC (full width → half width), lower case, letters and digits only.
fn fold(raw: &str) -> String {
    raw.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

fn person_form(raw: &str) -> String {
    let spaced: String = raw.nfkc().flat_map(char::to_lowercase).collect();
    let words: Vec<&str> = spaced.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let words = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() && TITLES.contains(first) => rest,
        _ => &words[..],
    };
    let mut name = words.concat();
    // 张先生 → 张, 王总 → 王: only when a name is left before the form of address.
    if let Some(h) = HONORIFICS.iter().find(|h| name.ends_with(**h) && name.len() > h.len()) {
        name.truncate(name.len() - h.len());
    }
    name
}

fn company_form(raw: &str) -> String {
    let mut name = fold(raw);
    while let Some(s) = COMPANY_SUFFIXES.iter().find(|s| name.ends_with(**s) && name.len() > s.len()) {
        name.truncate(name.len() - s.len());
    }
    name
}

/// Chinese characters as their plain pinyin, Latin letters and digits as they are.
fn pinyin_of(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() * 3);
    for c in folded.chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => {}
        }
    }
    out
}

/// Why two customers look alike.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Signal {
    Phone,
    Email,
    /// The same name once folded.
    Name,
    /// Names that sound the same (张明 / Zhang Ming).
    NamePinyin,
    /// One is only the other's surname with a form of address (张先生 / 张明).
    Surname,
    Company,
}

impl Signal {
    /// How much this signal alone says, 0–1; signals combine as independent evidence.
    pub fn weight(self) -> f64 {
        match self {
            Signal::Phone | Signal::Email => 0.7,
            Signal::Name => 0.45,
            Signal::NamePinyin => 0.4,
            Signal::Company => 0.4,
            Signal::Surname => 0.25,
        }
    }
}

/// What a customer is compared on.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub keys: Keys,
}

/// The likeness of `a` and `b`, 0–1, and the signals behind it (none: 0).
pub fn score(a: &Profile, b: &Profile) -> (f64, Vec<Signal>) {
    let same = |x: &Option<String>, y: &Option<String>| x.is_some() && x == y;
    let mut signals = Vec::new();
    if same(&a.phone, &b.phone) {
        signals.push(Signal::Phone);
    }
    if same(&a.email, &b.email) {
        signals.push(Signal::Email);
    }
    let (ka, kb) = (&a.keys, &b.keys);
    if !ka.name.is_empty() && ka.name == kb.name {
        signals.push(Signal::Name);
    } else if !ka.pinyin.is_empty() && ka.pinyin == kb.pinyin {
        signals.push(Signal::NamePinyin);
    } else if surname_of(ka, kb) || surname_of(kb, ka) {
        signals.push(Signal::Surname);
    }
    if !ka.company.is_empty() && ka.company == kb.company {
        signals.push(Signal::Company);
    }
    let miss: f64 = signals.iter().map(|s| 1.0 - s.weight()).product();
    let score = if signals.is_empty() { 0.0 } else { 1.0 - miss };
    ((score * 1000.0).round() / 1000.0, signals)
}

/// `short` is one Chinese character (a surname left after 先生/女士 …) that begins `long`.
fn surname_of(short: &Keys, long: &Keys) -> bool {
    let mut chars = short.name.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_ascii())
        && long.name.chars().count() > 1
        && long.name.starts_with(&short.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> Keys {
        keys(CustomerKind::Individual, name, None)
    }

    #[test]
    fn names_fold_width_case_spaces_titles_and_forms_of_address() {
        assert_eq!(person("张先生").name, "张");
        assert_eq!(person("王总").name, "王");
        assert_eq!(person("ZHANG MING").name, "zhangming");
        assert_eq!(person("Ｚｈａｎｇ　Ｍｉｎｇ").name, "zhangming");
        assert_eq!(person("Mr. Zhang Ming").name, "zhangming");
        assert_eq!(person("先生").name, "先生", "a form of address alone is all there is");
        assert_eq!(person("张明").pinyin, "zhangming");
        assert_eq!(person("Zhang Ming").pinyin, "zhangming");
    }

    #[test]
    fn company_suffixes_are_ignored() {
        let a = keys(CustomerKind::Company, "华兴制造股份有限公司", None);
        let b = keys(CustomerKind::Company, "华兴制造", None);
        assert_eq!(a.name, "华兴制造");
        assert_eq!(a.company, b.company);
        assert_eq!(keys(CustomerKind::Company, "Acme Co., Ltd.", None).company, "acme");
        assert_eq!(keys(CustomerKind::Individual, "李雷", Some("Acme Inc")).company, "acme");
    }

    #[test]
    fn the_four_spellings_of_one_person_match_with_one_phone_or_one_company() {
        let p = |name: &str, phone: Option<&str>, company: Option<&str>| Profile {
            phone: phone.map(str::to_owned),
            email: None,
            keys: keys(CustomerKind::Individual, name, company),
        };
        let phone = Some("+8613800138000");
        let (s, why) = score(&p("张先生", phone, None), &p("张明", phone, None));
        assert_eq!(why, [Signal::Phone, Signal::Surname]);
        assert!(s > 0.75, "{s}");
        let (s, why) = score(&p("张明", None, Some("华兴")), &p("Zhang Ming", None, Some("华兴有限公司")));
        assert_eq!(why, [Signal::NamePinyin, Signal::Company]);
        assert!(s > 0.6, "{s}");
        let (_, why) = score(&p("Zhang Ming", None, None), &p("ZHANG MING", None, None));
        assert_eq!(why, [Signal::Name]);
        assert_eq!(score(&p("张明", None, None), &p("李雷", None, None)), (0.0, vec![]));
        let (s, _) = score(&p("张明", None, Some("华兴")), &p("李雷", None, Some("华兴")));
        assert!(s < 0.5, "colleagues at one company are not one person: {s}");
    }
}
