//! The main issues of unhappy answers: the most frequent keywords over their texts, Chinese
//! segmented with jieba (its dictionary loaded once per process), other scripts split on
//! non-letters. A keyword counts once per text.

use jieba_rs::Jieba;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Words too common to be a theme.
const STOPWORDS: &[&str] = &[
    "我们", "你们", "他们", "这个", "那个", "就是", "还是", "但是", "因为", "所以", "没有", "不是", "一个", "可以",
    "什么", "怎么", "非常", "比较", "已经", "觉得", "感觉", "如果", "而且", "然后", "还有", "这样", "时候", "问题",
    "the", "and", "for", "was", "were", "with", "that", "this", "not", "but", "are", "you", "our", "have", "has",
    "had", "too", "very", "just", "they", "them", "there", "their", "what", "when", "your", "from",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The keywords of one text, each once.
fn keywords(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in jieba().cut(text, true) {
        let word = token.word.trim().to_lowercase();
        let han = word.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let latin = word.chars().all(|c| c.is_ascii_alphabetic());
        let long_enough = if han { word.chars().count() >= 2 } else { latin && word.len() >= 3 };
        if long_enough && !STOPWORDS.contains(&word.as_str()) && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// The `top` most frequent keywords over `texts` with the number of texts holding each,
/// most frequent first (ties alphabetical).
pub fn top<'a>(texts: impl IntoIterator<Item = &'a str>, top: usize) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for text in texts {
        for word in keywords(text) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(top);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_english_texts_give_their_frequent_keywords() {
        let texts =
            ["售后响应太慢，等了三天", "售后电话打不通", "价格太贵，售后也慢", "Delivery was late, delivery again"];
        let themes = top(texts, 3);
        assert_eq!(themes[0], ("售后".to_string(), 3), "{themes:?}");
        assert!(themes.iter().any(|(w, n)| w == "delivery" && *n == 1), "{themes:?}");
    }
}
