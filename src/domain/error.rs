/// One field that is not acceptable, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// One problem of an uploaded file, with the line it is on (1 is the header)
/// and the column, when it is about one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LineProblem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// An input or a rule the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One field is not acceptable (rendered as 422 `validation_failed`).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// Several fields are not acceptable (one 422 `validation_failed` listing each).
    #[error("{} fields are invalid", .0.len())]
    InvalidFields(Vec<FieldProblem>),
    /// A business rule with its own machine code (rendered as 422 `code`).
    #[error("{code}: {detail}")]
    Rule { code: &'static str, detail: String },
    /// The object's state does not allow the action (rendered as 409 `code`).
    #[error("{code}: {detail}")]
    State { code: &'static str, detail: String },
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field problems this error stands for, or the error itself when it is
    /// not about fields (a rule or a state conflict).
    pub fn into_field_problems(self) -> Result<Vec<FieldProblem>, DomainError> {
        match self {
            Self::Invalid { field, message } => Ok(vec![FieldProblem { field, message }]),
            Self::InvalidFields(problems) => Ok(problems),
            other => Err(other),
        }
    }
}

/// Every value when all parsed; otherwise every field problem at once (a rule
/// or state error, which is not about one field, wins on its own).
pub fn all_ok<T>(
    results: impl IntoIterator<Item = Result<T, DomainError>>,
) -> Result<Vec<T>, DomainError> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(v) => values.push(v),
            Err(e) => problems.extend(e.into_field_problems()?),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(DomainError::InvalidFields(problems))
    }
}

/// One error standing for all of `errors`: their field problems together, or
/// the first error that is not about fields.
pub fn merge(errors: impl IntoIterator<Item = DomainError>) -> DomainError {
    match all_ok(errors.into_iter().map(Err::<(), _>)) {
        Err(e) => e,
        Ok(_) => DomainError::InvalidFields(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_ok_lists_every_problem() {
        let results = vec![
            Ok(1),
            Err(DomainError::invalid("a", "bad")),
            Err(DomainError::InvalidFields(vec![FieldProblem {
                field: "b".into(),
                message: "worse".into(),
            }])),
        ];
        let err = all_ok(results).unwrap_err();
        let fields: Vec<String> = err
            .into_field_problems()
            .unwrap()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["a", "b"]);
        assert_eq!(all_ok(vec![Ok::<_, DomainError>(1), Ok(2)]), Ok(vec![1, 2]));
    }
}
