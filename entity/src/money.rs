//! Exact money: amounts are stored as `i64` ten-thousandths of a currency unit.
//!
//! Why not a DECIMAL column: SQLite has no exact decimal type (it stores REAL), so a
//! `SUM` of 0.10 + 0.20 would not be 0.30 there. A scaled integer is exact on both
//! databases, sums in SQL, and four places cover every ISO 4217 minor unit.

use rust_decimal::Decimal;

/// Decimal places kept in storage.
pub const SCALE: u32 = 4;

/// Largest amount one record may hold, in stored units: just under a trillion
/// (10¹² − 0.0001) of any currency. Bounded so that any sum over rows is exact in the
/// split sums of [`SPLIT`] on both databases.
pub const MAX_AMOUNT_E4: i64 = 10_000_000_000_000_000 - 1;

/// [`MAX_AMOUNT_E4`] as a decimal amount.
pub fn max_amount() -> Decimal {
    from_e4(MAX_AMOUNT_E4)
}

/// The divisor that splits stored units into a high and a low part for summing: each
/// part of an amount within [`MAX_AMOUNT_E4`] is below 10⁸, so SQL sums of either part
/// stay far inside 64 bits for up to ~9 × 10¹⁰ rows (SQLite's `SUM` fails on overflow,
/// PostgreSQL's would need `NUMERIC`). Recombined in 128 bits by [`from_parts`].
pub const SPLIT: i64 = 100_000_000;

/// A sum from the sums of the high (`units / SPLIT`) and low (`units % SPLIT`) parts.
pub fn from_parts(high: i64, low: i64) -> Decimal {
    let units = i128::from(high) * i128::from(SPLIT) + i128::from(low);
    Decimal::try_from_i128_with_scale(units, SCALE).map(|d| d.normalize()).unwrap_or(Decimal::MAX)
}

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
    fn split_sums_recombine_exactly_beyond_64_bits() {
        let units = MAX_AMOUNT_E4;
        let (high, low) = (units / SPLIT * 2_000, units % SPLIT * 2_000);
        let sum = from_parts(high, low);
        assert_eq!(sum, from_e4(units) * Decimal::from(2_000));
        assert!(i128::from(units) * 2_000 > i128::from(i64::MAX));
    }

    #[test]
    fn refuses_more_than_four_places() {
        assert_eq!(to_e4(Decimal::from_str("1.00001").unwrap()), None);
        assert_eq!(to_e4(Decimal::from_str("1.10000").unwrap()), Some(11_000));
    }
}
