//! `schema.sql` must describe exactly what the migrations build.

use std::collections::BTreeMap;

use barraiser::db::{self, Db, DbConn};
use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Text};

use crate::helpers::TestDb;

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
}

/// table → column → (type class, NOT NULL)
type Shape = BTreeMap<String, BTreeMap<String, (String, bool)>>;

fn type_class(raw: &str) -> String {
    let t = raw.to_lowercase();
    match t.split_whitespace().next().unwrap_or("") {
        "bigserial" | "bigint" | "integer" | "serial" => "integer".into(),
        "text" | "character" => "text".into(),
        "boolean" => "boolean".into(),
        "timestamp" => "timestamp".into(),
        "double" | "real" => "double".into(),
        _ => t,
    }
}

fn shape_of_database(conn: &mut DbConn) -> Shape {
    let sql = match conn {
        DbConn::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             data_type::text AS data_type, CAST(CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS BIGINT) AS not_null \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name NOT LIKE '\\_\\_diesel%'"
        }
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CAST(MAX(p.\"notnull\", p.pk > 0) AS BIGINT) AS not_null \
             FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_\\_diesel%' ESCAPE '\\'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(sql)
        .load(conn)
        .expect("introspect schema");
    let mut shape = Shape::new();
    for c in rows {
        shape
            .entry(c.table_name)
            .or_default()
            .insert(c.column_name, (type_class(&c.data_type), c.not_null != 0));
    }
    shape
}

fn shape_of_schema_sql(text: &str) -> Shape {
    let mut shape = Shape::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.split("--").next().unwrap_or("").trim();
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            current = Some(rest.trim_end_matches('(').trim().to_owned());
            continue;
        }
        if line.starts_with(')') {
            current = None;
            continue;
        }
        let Some(table) = &current else { continue };
        let mut words = line.split_whitespace();
        let (Some(name), Some(ty)) = (words.next(), words.next()) else {
            continue;
        };
        if ["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"].contains(&name) {
            continue;
        }
        let upper = line.to_uppercase();
        let not_null = upper.contains("NOT NULL") || upper.contains("PRIMARY KEY");
        shape.entry(table.clone()).or_default().insert(
            name.to_owned(),
            (type_class(ty.trim_end_matches(',')), not_null),
        );
    }
    shape
}

#[test]
fn schema_sql_matches_the_migrated_database() {
    let test_db = TestDb::fresh();
    let database = Db::connect(&test_db.url, 1).unwrap();
    let mut conn = database.conn().unwrap();
    db::migrate(&mut conn).unwrap();
    let actual = shape_of_database(&mut conn);
    let documented = shape_of_schema_sql(include_str!("../../schema.sql"));
    assert!(!documented.is_empty(), "schema.sql declares no table");
    drop(conn);
    drop(database);
    test_db.remove();
    assert_eq!(documented, actual, "schema.sql drifted from the migrations");
}
