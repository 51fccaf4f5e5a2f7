//! Exact money: amounts are stored as `i64` ten-thousandths of a currency unit.
//!
//! Why not a DECIMAL column: SQLite has no exact decimal type (it stores REAL), so a
//! `SUM` of 0.10 + 0.20 would not be 0.30 there. A scaled integer is exact on both
//! databases, sums in SQL, and four places cover every ISO 4217 minor unit.

use rust_decimal::Decimal;

/// Decimal places kept in storage.
pub const SCALE: u32 = 4;

/// Converts a decimal amount into stored units; `None` when it has more than four
/// places or does not fit.
pub fn to_e4(amount: Decimal) -> Option<i64> {
    if amount.normalize().scale() > SCALE {
        return None;
    }
    let scaled = amount.checked_mul(Decimal::from(10_i64.pow(SCALE)))?;
    i64::try_from(scaled.trunc()).ok()
}

/// Converts stored units back into a decimal amount.
pub fn from_e4(units: i64) -> Decimal {
    Decimal::new(units, SCALE).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn round_trips_and_sums_exactly() {
        let a = to_e4(Decimal::from_str("0.10").unwrap()).unwrap();
        let b = to_e4(Decimal::from_str("0.20").unwrap()).unwrap();
        assert_eq!(from_e4(a + b).to_string(), "0.3");
    }

    #[test]
    fn refuses_more_than_four_places() {
        assert_eq!(to_e4(Decimal::from_str("1.00001").unwrap()), None);
        assert_eq!(to_e4(Decimal::from_str("1.10000").unwrap()), Some(11_000));
    }
}
