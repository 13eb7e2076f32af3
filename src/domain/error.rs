/// An input or a rule the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One field is not acceptable (rendered as 422 `validation_failed`).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
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
}
