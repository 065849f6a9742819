//! Errors as front ends read them: every error type of the core says what happened in a sentence
//! (its `Display`), and through [`Coded`] a stable code and the facts behind the sentence, so the
//! popup and the CLI word an error for their own reader without ever parsing English.

/// An error with a stable, machine-readable code (`bad-token`, `not-found`, `build-failed`, …)
/// and the structured facts a front end may show beside the sentence.
pub trait Coded: std::error::Error {
    /// The kind of error; codes are a contract with the extension: extend, never rename.
    fn code(&self) -> &'static str;

    /// The facts behind the sentence; none by default.
    fn details(&self) -> Details {
        Details::default()
    }
}

/// The facts behind an error that a front end shows in its own words. Every field is optional;
/// a field is set only when the error knows it. Never holds a token or a variable's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The HTTP status behind the error.
    pub status: Option<u16>,
    /// The deployment an error is about (a failed or unfinished build).
    pub deployment: Option<DeploymentRef>,
    /// Why a name was refused, as a clause (`use lower-case letters, digits and '-'`).
    pub why: Option<String>,
    /// The provider's own words (a failed build's last lines); the sentence quotes them too.
    pub detail: Option<String>,
    /// The file an error is about (a SQL file).
    pub file: Option<String>,
    /// The statement that failed, quoted short.
    pub statement: Option<String>,
    /// When a rate limit resets (`YYYY-MM-DD HH:MM UTC`), if the service said.
    pub reset: Option<String>,
    /// How long the service asked to wait, in seconds, if it said.
    pub wait_s: Option<u64>,
}

/// A deployment named by an error: its id and the provider's last state word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRef {
    pub id: String,
    pub state: String,
}

impl Details {
    /// Details with only an HTTP status.
    pub fn status(status: Option<u16>) -> Self {
        Self {
            status,
            ..Self::default()
        }
    }
}
