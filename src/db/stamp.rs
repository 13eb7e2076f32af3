//! Timestamps read the short way.
//!
//! SQLite keeps a timestamp as text, `YYYY-MM-DD HH:MM:SS` with an optional
//! fraction, which is how diesel writes it. diesel reads one back by trying
//! its list of `strftime` formats, each parsed from its pattern again on
//! every value: the profile of the API loop read and of the home page under
//! load put 9–11 % of their time there. A [`Stamp`] reads that one shape
//! directly and leaves anything else to diesel; on PostgreSQL (binary
//! timestamps) it is diesel's own reading. Fields use it through
//! `#[diesel(deserialize_as = Stamp)]` and stay `NaiveDateTime`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Nullable, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

use super::{MultiBackend, MultiRawValue};

/// A stored timestamp, read as [`NaiveDateTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

impl From<Stamp> for NaiveDateTime {
    fn from(stamp: Stamp) -> Self {
        stamp.0
    }
}

/// `YYYY-MM-DD HH:MM:SS` with an optional `.` and 1 to 9 digits of fraction;
/// `None` for any other text.
fn parse(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            num(20, b.len())? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let time = NaiveTime::from_hms_nano_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, nanos)?;
    Some(date.and_time(time))
}

/// A stored timestamp that may be missing, read as `Option<NaiveDateTime>`
/// the way [`Stamp`] reads one that may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct OptStamp(pub Option<NaiveDateTime>);

impl From<OptStamp> for Option<NaiveDateTime> {
    fn from(stamp: OptStamp) -> Self {
        stamp.0
    }
}

impl FromSql<Nullable<Timestamp>, Sqlite> for OptStamp {
    fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        <Stamp as FromSql<Timestamp, Sqlite>>::from_sql(value).map(|s| OptStamp(Some(s.0)))
    }

    fn from_nullable_sql(value: Option<SqliteValue<'_, '_, '_>>) -> deserialize::Result<Self> {
        value.map_or(
            Ok(OptStamp(None)),
            <Self as FromSql<Nullable<Timestamp>, Sqlite>>::from_sql,
        )
    }
}

impl FromSql<Nullable<Timestamp>, Pg> for OptStamp {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(|at| OptStamp(Some(at)))
    }

    fn from_nullable_sql(value: Option<PgValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(
            Ok(OptStamp(None)),
            <Self as FromSql<Nullable<Timestamp>, Pg>>::from_sql,
        )
    }
}

impl FromSql<Nullable<Timestamp>, MultiBackend> for OptStamp {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Nullable<Timestamp>>()
    }

    fn from_nullable_sql(value: Option<MultiRawValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(
            Ok(OptStamp(None)),
            <Self as FromSql<Nullable<Timestamp>, MultiBackend>>::from_sql,
        )
    }
}

impl FromSql<Timestamp, Sqlite> for Stamp {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        match parse(value.read_text()) {
            Some(at) => Ok(Stamp(at)),
            None => <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Stamp),
        }
    }
}

impl FromSql<Timestamp, Pg> for Stamp {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Stamp)
    }
}

impl FromSql<Timestamp, MultiBackend> for Stamp {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_read_what_diesel_writes_and_nothing_else() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%F %T%.f").unwrap();
        for text in [
            "2026-12-07 11:30:05",
            "2026-12-07 11:30:05.1",
            "2026-12-07 11:30:05.123456",
            "2026-12-07 11:30:05.123456789",
            "1999-01-31 00:00:00.000001",
            "2024-02-29 23:59:59",
        ] {
            assert_eq!(parse(text), Some(at(text)), "{text}");
        }
        for text in [
            "",
            "2026-12-07",
            "2026-12-07T11:30:05",
            "2026-12-07 11:30:05Z",
            "2026-12-07 11:30:05+01:00",
            "2026-12-07 11:30:05.",
            "2026-12-07 11:30:05.1234567890",
            "2026-13-07 11:30:05",
            "2025-02-29 11:30:05",
            "2026-12-07 24:00:00",
            "2026-12-07 1a:30:05",
            "+026-12-07 11:30:05",
            "2459000.5",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_missing_stamp_reads_as_none_and_a_present_one_as_its_time() {
        use diesel::dsl::sql;
        use diesel::prelude::*;
        let mut c = diesel::sqlite::SqliteConnection::establish(":memory:").unwrap();
        let mut read = |text: &str| -> OptStamp {
            diesel::select(sql::<Nullable<Timestamp>>(text))
                .get_result(&mut c)
                .unwrap()
        };
        assert_eq!(read("NULL"), OptStamp(None));
        assert_eq!(
            read("'2026-12-07 11:30:05.25'"),
            OptStamp(Some(
                NaiveDateTime::parse_from_str("2026-12-07 11:30:05.25", "%F %T%.f").unwrap()
            ))
        );
        // Another shape diesel reads is still read, by diesel.
        assert_eq!(
            read("'2026-12-07T11:30:05'"),
            OptStamp(Some(
                NaiveDateTime::parse_from_str("2026-12-07 11:30:05", "%F %T").unwrap()
            ))
        );
    }
}
