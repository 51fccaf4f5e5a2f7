//! Input normalisation and validation (DOMAIN.md, data entry rules). Each failure is a
//! [`FieldError`] naming the field; a write with any error writes nothing.

use unicode_normalization::UnicodeNormalization;

/// Why an input was refused; the GraphQL layer exposes these as `UserErrorCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A required field is missing or blank.
    Required,
    /// A value is malformed or out of range.
    Invalid,
    /// A string is longer than allowed.
    TooLong,
    /// Not a valid phone number.
    InvalidPhone,
    /// Not a valid email address.
    InvalidEmail,
    /// `expectedVersion` is not the record's current version.
    StaleVersion,
    /// A referenced record does not exist or is not visible.
    NotFound,
    /// Another record looks like the same customer.
    DuplicateSuspected,
    /// The caller's role may not set this field.
    Forbidden,
    /// Such a record exists already (a unique rule).
    AlreadyExists,
    /// The idempotency key was used before with a different input.
    IdempotencyKeyReused,
    /// The record is not in a state that allows this action.
    InvalidState,
}

/// A refused input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path to the field within the input, e.g. `["input", "phone"]`.
    pub field: Vec<String>,
    /// Stable reason.
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

impl FieldError {
    /// An error on `input.<field>`.
    pub fn new(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        // A nested field (`value.highThreshold`) is a path of its own.
        let mut path = vec!["input".to_string()];
        path.extend(field.split('.').map(str::to_string));
        Self { field: path, code, message: message.into() }
    }
}

/// Collects field errors while normalising one input.
#[derive(Debug, Default)]
pub struct Checker {
    /// Errors so far.
    pub errors: Vec<FieldError>,
}

impl Checker {
    /// Records an error.
    pub fn push(&mut self, field: &str, code: ErrorCode, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Done: the value, or every error found.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() { Ok(value) } else { Err(self.errors) }
    }

    /// A required display name: NFKC (full-width → half-width), trimmed, inner whitespace
    /// collapsed, 1..=`max` characters.
    pub fn name(&mut self, field: &str, raw: &str, max: usize) -> String {
        let value = normalize_text(raw);
        if self.control_characters(field, &value, "") {
            return value;
        }
        if value.is_empty() {
            self.push(field, ErrorCode::Required, format!("{field} is required"));
        } else if value.chars().count() > max {
            self.push(field, ErrorCode::TooLong, format!("{field} is longer than {max} characters"));
        }
        value
    }

    /// An optional short text, normalised like a name; blank becomes `None`.
    pub fn text(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        let value = normalize_text(raw?);
        if self.control_characters(field, &value, "") {
            return None;
        }
        if value.chars().count() > max {
            self.push(field, ErrorCode::TooLong, format!("{field} is longer than {max} characters"));
        }
        (!value.is_empty()).then_some(value)
    }

    /// An optional long text: trimmed only (line breaks kept); blank becomes `None`.
    pub fn long_text(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        let value = raw?.trim().to_string();
        if self.control_characters(field, &value, "\t\n\r") {
            return None;
        }
        if value.chars().count() > max {
            self.push(field, ErrorCode::TooLong, format!("{field} is longer than {max} characters"));
        }
        (!value.is_empty()).then_some(value)
    }

    /// Records an error when `value` holds a control character (U+0000–U+001F, U+007F–U+009F)
    /// other than those in `allowed`: PostgreSQL cannot store NUL, and the others are
    /// invisible in every client. True when one was found.
    pub fn control_characters(&mut self, field: &str, value: &str, allowed: &str) -> bool {
        let found = value.chars().find(|c| c.is_control() && !allowed.contains(*c));
        if let Some(c) = found {
            self.push(
                field,
                ErrorCode::Invalid,
                format!("{field} contains the control character U+{:04X}", u32::from(c)),
            );
        }
        found.is_some()
    }

    /// An optional phone number, returned in E.164. Numbers without a country code are
    /// read as mainland China numbers (mobile: 11 digits).
    pub fn phone(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let raw = normalize_text(raw?);
        if raw.is_empty() {
            return None;
        }
        match normalize_phone(&raw) {
            Some(e164) => Some(e164),
            None => {
                self.push(field, ErrorCode::InvalidPhone, format!("`{raw}` is not a valid phone number"));
                None
            }
        }
    }

    /// An optional email address, trimmed and lower-cased.
    pub fn email(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let value = normalize_text(raw?).to_lowercase();
        if value.is_empty() {
            return None;
        }
        if value.len() > 254 || !email_address::EmailAddress::is_valid(&value) || !value.contains('.') {
            self.push(field, ErrorCode::InvalidEmail, format!("`{value}` is not a valid email address"));
            return None;
        }
        Some(value)
    }
}

impl Checker {
    /// An ISO 4217 currency code (upper-cased); `default` when absent.
    pub fn currency(&mut self, field: &str, raw: Option<&str>, default: &str) -> String {
        let code = raw.map(|r| normalize_text(r).to_uppercase()).unwrap_or_else(|| default.to_string());
        if iso_currency::Currency::from_code(&code).is_none() {
            self.push(field, ErrorCode::Invalid, format!("`{code}` is not an ISO 4217 currency code"));
        }
        code
    }

    /// A non-negative amount of money in stored units (see `entity::money`), at most
    /// `entity::money::MAX_AMOUNT`.
    pub fn money(&mut self, field: &str, amount: rust_decimal::Decimal) -> i64 {
        if amount.is_sign_negative() {
            self.push(field, ErrorCode::Invalid, format!("{field} cannot be negative"));
            return 0;
        }
        if amount > entity::money::max_amount() {
            self.push(
                field,
                ErrorCode::Invalid,
                format!("{field} is above the largest amount accepted, {}", entity::money::max_amount()),
            );
            return 0;
        }
        match entity::money::to_e4(amount) {
            Some(units) => units,
            None => {
                self.push(
                    field,
                    ErrorCode::Invalid,
                    format!("{field} has more than four decimal places or is too large"),
                );
                0
            }
        }
    }

    /// A whole number within `lo..=hi`.
    pub fn int_range(&mut self, field: &str, value: i32, lo: i32, hi: i32) -> i32 {
        if !(lo..=hi).contains(&value) {
            self.push(field, ErrorCode::Invalid, format!("{field} must be between {lo} and {hi}"));
        }
        value
    }

    /// An optional display colour `#rrggbb` (lower-cased).
    pub fn color(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let value = raw?.trim().to_lowercase();
        let ok = value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            self.push(field, ErrorCode::Invalid, format!("{field} must look like #1677ff"));
        }
        Some(value)
    }

    /// A date that is not in the future.
    pub fn past_date(&mut self, field: &str, date: chrono::NaiveDate) -> chrono::NaiveDate {
        if date > chrono::Utc::now().date_naive() {
            self.push(field, ErrorCode::Invalid, format!("{field} cannot be in the future"));
        }
        date
    }

    /// True when no error was recorded so far.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// NFKC-normalises (full-width letters, digits and spaces become half-width), trims and
/// collapses runs of whitespace.
pub fn normalize_text(raw: &str) -> String {
    let nfkc: String = raw.nfkc().collect();
    nfkc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a phone number into E.164; `None` when it is not a valid number.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    if compact.is_empty() || !compact.trim_start_matches('+').chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let number = phonenumber::parse(Some(phonenumber::country::Id::CN), &compact).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(normalize_text("  Ｚｈａｎｇ　Ｍｉｎｇ "), "Zhang Ming");
        assert_eq!(normalize_text("张明"), "张明");
    }

    #[test]
    fn mainland_mobiles_become_e164() {
        assert_eq!(normalize_phone("138 1234 5678").as_deref(), Some("+8613812345678"));
        assert_eq!(normalize_phone("+86 138-1234-5678").as_deref(), Some("+8613812345678"));
        assert_eq!(normalize_phone("1381234567"), None);
        assert_eq!(normalize_phone("call me"), None);
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(normalize_phone("+44 20 7946 0958").as_deref(), Some("+442079460958"));
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        let mut c = Checker::default();
        assert_eq!(c.email("email", Some(" Zhang@Example.COM ")).as_deref(), Some("zhang@example.com"));
        assert_eq!(c.email("email", Some("not-an-email")), None);
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].code, ErrorCode::InvalidEmail);
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept_in_long_text() {
        let mut c = Checker::default();
        c.name("name", "a\u{0}b", 200);
        c.text("title", Some("x\u{7}"), 200);
        assert_eq!(c.long_text("notes", Some("line 1\n\tline 2"), 200).as_deref(), Some("line 1\n\tline 2"));
        c.long_text("summary", Some("a\u{1b}[31m"), 200);
        let fields: Vec<_> = c.errors.iter().map(|e| e.field[1].as_str()).collect();
        assert_eq!(fields, ["name", "title", "summary"]);
        assert!(c.errors.iter().all(|e| e.code == ErrorCode::Invalid));
    }

    #[test]
    fn amounts_above_the_bound_are_refused() {
        let mut c = Checker::default();
        c.money("amount", "900000000000000".parse().unwrap());
        assert_eq!(c.errors.len(), 1);
        assert!(c.money("amount", "999999999999.9999".parse().unwrap()) > 0);
        assert_eq!(c.errors.len(), 1);
    }

    #[test]
    fn blank_required_name_is_an_error() {
        let mut c = Checker::default();
        c.name("name", "   ", 200);
        assert_eq!(c.errors[0].code, ErrorCode::Required);
        assert_eq!(c.errors[0].field, vec!["input".to_string(), "name".to_string()]);
    }
}
