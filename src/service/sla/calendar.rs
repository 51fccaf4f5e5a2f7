//! Business time: adding working hours to an instant under a business calendar (working
//! days, daily hours, holidays) in the configured time zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Most days a search for working time walks before giving up (ten years).
const MAX_DAYS: u32 = 3_660;

/// When the team works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// ISO weekday numbers, Monday 1 … Sunday 7.
    pub working_days: Vec<u8>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: Vec<NaiveDate>,
}

impl Default for Calendar {
    /// Monday to Friday, 09:00–18:00, no holidays.
    fn default() -> Self {
        Self {
            working_days: vec![1, 2, 3, 4, 5],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            holidays: Vec::new(),
        }
    }
}

impl Calendar {
    fn works_on(&self, day: NaiveDate) -> bool {
        self.working_days.contains(&(day.weekday().number_from_monday() as u8)) && !self.holidays.contains(&day)
    }

    /// The working window of `day` in UTC, if it is a working day.
    fn window(&self, day: NaiveDate, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.works_on(day) {
            return None;
        }
        let at = |t: NaiveTime| tz.from_local_datetime(&day.and_time(t)).earliest().map(|d| d.with_timezone(&Utc));
        Some((at(self.start)?, at(self.end)?))
    }

    /// `start` plus `minutes` of working time. A calendar with no working time in ten
    /// years (every day a holiday) falls back to calendar time.
    pub fn add(&self, start: DateTime<Utc>, minutes: i64, tz: Tz) -> DateTime<Utc> {
        let mut left = Duration::minutes(minutes.max(0));
        let mut day = start.with_timezone(&tz).date_naive();
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = self.window(day, tz) {
                let from = open.max(start);
                if from < close {
                    let available = close - from;
                    if left <= available {
                        return from + left;
                    }
                    left -= available;
                }
            }
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        start + Duration::minutes(minutes.max(0))
    }
}

/// The weekday of an ISO number, Monday 1 … Sunday 7.
pub fn weekday(n: u8) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn working_hours_skip_nights_weekends_and_holidays() {
        let cal = Calendar::default();
        // Friday 2026-12-04 17:00 in Shanghai (09:00 UTC): 1 h left that day, then Monday.
        let friday = at("2026-12-04T09:00:00Z");
        assert_eq!(cal.add(friday, 60, SHANGHAI), at("2026-12-04T10:00:00Z"));
        assert_eq!(cal.add(friday, 4 * 60, SHANGHAI), at("2026-12-07T04:00:00Z"), "Monday 12:00 local");
        // Opened at night: the clock starts at 09:00.
        let night = at("2026-12-07T15:00:00Z"); // Monday 23:00 local
        assert_eq!(cal.add(night, 8 * 60, SHANGHAI), at("2026-12-08T09:00:00Z"), "Tuesday 17:00 local");
        let holiday = Calendar { holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()], ..cal.clone() };
        assert_eq!(holiday.add(friday, 4 * 60, SHANGHAI), at("2026-12-08T04:00:00Z"), "Tuesday 12:00 local");
        // Nine working hours a day: 24 working hours from Monday 09:00 end Wednesday 15:00.
        assert_eq!(cal.add(at("2026-12-07T01:00:00Z"), 24 * 60, SHANGHAI), at("2026-12-09T07:00:00Z"));
    }

    #[test]
    fn a_calendar_without_working_time_falls_back_to_calendar_hours() {
        let cal = Calendar { working_days: vec![], ..Calendar::default() };
        let start = at("2026-12-04T09:00:00Z");
        assert_eq!(cal.add(start, 90, SHANGHAI), start + Duration::minutes(90));
    }
}
