//! Backend selection by `DATABASE_URL`.

use barraiser::db::{Backend, Db, DbConn};

#[test]
fn an_sqlite_url_or_a_plain_path_selects_sqlite_with_wal_and_foreign_keys() {
    let dir = std::env::temp_dir().join(format!(
        "barraiser-tests/storage-{}",
        barraiser::auth::random_hex(4)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for url in [
        format!("sqlite://{}/a.db", dir.display()),
        format!("{}/b.db", dir.display()),
    ] {
        let db = Db::connect(&url, 1).unwrap();
        assert_eq!(db.backend(), Backend::Sqlite);
        let mut conn = db.conn().unwrap();
        assert!(matches!(&mut *conn, DbConn::Sqlite(_)));
        #[derive(diesel::QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        use diesel::RunQueryDsl;
        let mode: Pragma = diesel::sql_query("PRAGMA journal_mode")
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(mode.journal_mode, "wal");
        #[derive(diesel::QueryableByName)]
        struct Fk {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            foreign_keys: i64,
        }
        let fk: Fk = diesel::sql_query("PRAGMA foreign_keys")
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(fk.foreign_keys, 1);
    }
    assert!(dir.join("a.db").exists() && dir.join("b.db").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unreachable_postgres_url_fails_with_the_real_error_and_creates_no_file() {
    let url = "postgres://nobody:secret@127.0.0.1:1/barraiser";
    let err = Db::connect(url, 1)
        .err()
        .expect("no server listens on port 1");
    let chain = format!("{err:#}");
    assert!(chain.to_lowercase().contains("connect"), "{chain}");
    assert!(
        !chain.contains("secret"),
        "the password is not echoed: {chain}"
    );
    assert!(!std::path::Path::new(url).exists());
}
