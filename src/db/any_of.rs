//! `column` is one of a list of ids, as one statement whatever the list's
//! length.
//!
//! diesel writes `eq_any(&[…])` on SQLite as `IN (?, ?, …)`, one parameter
//! per id: a statement that differs with the list's length, so diesel does
//! not keep it prepared and SQLite parses and plans it again on every call
//! (a quarter of an independence report's time went there). [`any_of`]
//! binds the whole list as one parameter instead: a JSON array read by
//! `json_each` on SQLite, an array (`= ANY`) on PostgreSQL. Its text never
//! changes, so each backend keeps it prepared.

use diesel::QueryResult;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Text};
use diesel::sqlite::Sqlite;

use super::MultiBackend;

/// `column` (a `BIGINT` column) is one of `ids`; see the module.
pub fn any_of<C>(column: C, ids: &[i64]) -> AnyOf<C> {
    AnyOf {
        column,
        ids: ids.to_vec(),
        json: serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()),
    }
}

/// The expression [`any_of`] builds.
#[derive(Debug, Clone)]
pub struct AnyOf<C> {
    column: C,
    ids: Vec<i64>,
    json: String,
}

/// The statement's text depends on the column alone (the ids are one
/// parameter), so it is kept prepared by its type.
impl<C: QueryId> QueryId for AnyOf<C> {
    type QueryId = AnyOf<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for AnyOf<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: Expression<SqlType = BigInt>> Expression for AnyOf<C> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for AnyOf<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for AnyOf<C> where
    Self: AppearsOnTable<QS>
{
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<BigInt>, _>(&self.ids)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C: QueryFragment<Sqlite> + QueryFragment<Pg>> QueryFragment<MultiBackend> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}
