//! Placeholder: replaced by the port of bolt.diy's streaming message parser.

/// One action from an assistant message, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoltAction {
    /// `type="file"`: the whole new content of `file_path` (as written in the attribute).
    File { file_path: String, content: String },
    /// `type="shell"`: a command such as `npm install`. Recorded, never executed.
    Shell { command: String },
    /// `type="start"`: the command that starts the dev server. Recorded, never executed.
    Start { command: String },
    /// `type="supabase"`: `operation` is `migration` or `query`.
    Supabase {
        operation: String,
        file_path: Option<String>,
        content: String,
    },
    /// Any other type (`edit`, future ones): kept so the reader can report it.
    Other {
        action_type: String,
        file_path: Option<String>,
        content: String,
    },
}

/// Every action in one assistant message, in order.
pub fn parse_actions(_message: &str) -> Vec<BoltAction> {
    Vec::new()
}
