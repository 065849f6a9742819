//! A port of bolt.diy's `StreamingMessageParser` (`app/lib/runtime/message-parser.ts`).
//!
//! An assistant message is prose with `<boltArtifact …>` elements in it; an artifact holds
//! `<boltAction …>` elements. The parser is fed the whole message received so far, again and
//! again while it streams, and remembers per message where it stopped. Each call returns the new
//! prose (artifacts replaced by a placeholder element) and records events: artifact open/close,
//! action open/stream/close. bolt.diy acts on an action when it closes.
//!
//! What is kept from bolt.diy, on purpose:
//! - tag names are case-sensitive and matched as bolt.diy does: `<boltArtifact` must be followed
//!   by `>`, a space or the end of the input (`<boltArtifactt`, `<boltArtifact\n` are prose), a
//!   partial `<boltArtifact` at the end of the input is held back, and `<<boltArtifact` is prose;
//!   inside an artifact any `<boltAction…` opens an action (even `<boltActions`);
//! - attributes are found by `name="value"`, ASCII case-insensitively, first match in the tag,
//!   with no word boundary (`diffType="x"` before `type=` gives the type `x`);
//! - the artifact id is `{message_id}-{n}`; the `id` attribute is ignored, like bolt.diy does;
//! - an action's content is trimmed (JavaScript whitespace); a file's content then loses a
//!   wrapping markdown fence and has `&lt;`/`&gt;` decoded unless its path ends with `.md`, and
//!   gets one trailing newline; prose and other actions keep their entities;
//! - `<bolt-quick-actions>` blocks become buttons when the whole block is in the input;
//! - bolt.diy throws on a file action without `filePath`, on a Supabase action with a missing or
//!   unknown `operation` and on a migration without `filePath`. Here [`StreamingParser::parse`]
//!   returns a [`ParseError`] at the same point: the events recorded before it stay, the
//!   position is not saved, and the state changed before the throw persists, so calling again
//!   behaves as bolt.diy does when it parses the message again.
//!
//! Deliberate differences: [`StreamingParser::with_thoughts_as_prose`] (used by
//! [`parse_actions`]) keeps `<div class="__boltThought__">…</div>` reasoning blocks as prose, so
//! tags written inside a model's reasoning are never artifacts (bolt.diy parses them); and an
//! action of an unknown type carries its `filePath` attribute (bolt.diy drops it) so that it can
//! be reported.

use std::collections::HashMap;

use thiserror::Error;

const ARTIFACT_TAG_OPEN: &str = "<boltArtifact";
const ARTIFACT_TAG_CLOSE: &str = "</boltArtifact>";
const ACTION_TAG_OPEN: &str = "<boltAction";
const ACTION_TAG_CLOSE: &str = "</boltAction>";
const QUICK_ACTIONS_OPEN: &str = "<bolt-quick-actions>";
const QUICK_ACTIONS_CLOSE: &str = "</bolt-quick-actions>";
const QUICK_ACTION_OPEN: &str = "<bolt-quick-action";
const QUICK_ACTION_CLOSE: &str = "</bolt-quick-action>";
const THOUGHT_OPEN: &str = "<div class=\"__boltThought__\">";
const THOUGHT_CLOSE: &str = "</div>";

/// The message id [`parse_message`] parses under.
const MESSAGE_ID: &str = "message";

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
    /// A `<boltAction>` without a `type` attribute gives an empty `action_type`.
    Other {
        action_type: String,
        file_path: Option<String>,
        content: String,
    },
}

/// Every action in one assistant message, in order (a complete message; closed actions only,
/// like bolt.diy which acts on close).
pub fn parse_actions(message: &str) -> Vec<BoltAction> {
    parse_message(message).actions
}

/// The actions of a complete message, and the error that stopped bolt.diy's parser, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMessage {
    /// The closed actions, in order. When `error` is set, the actions closed before it.
    pub actions: Vec<BoltAction>,
    /// Where bolt.diy's parser threw: nothing after that point was acted on.
    pub error: Option<ParseError>,
}

/// Parses a complete message in one call, `<div class="__boltThought__">` blocks kept as prose.
pub fn parse_message(message: &str) -> ParsedMessage {
    let mut parser = StreamingParser::new().with_thoughts_as_prose(true);
    let error = parser.parse(MESSAGE_ID, message).err();
    let actions = parser
        .take_events()
        .into_iter()
        .filter_map(ParserEvent::into_closed_action)
        .collect();
    ParsedMessage { actions, error }
}

/// Where bolt.diy's parser throws.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// A `type="file"` action without `filePath` (bolt.diy: a `TypeError` on `filePath.endsWith`).
    #[error("a file action has no filePath")]
    FileActionWithoutPath,
    /// A `type="supabase"` action whose `operation` is missing or not `migration`/`query`.
    #[error("invalid Supabase operation: {}", .0.as_deref().map_or("none".into(), |o| format!("\"{}\"", crate::text::excerpt(o))))]
    InvalidSupabaseOperation(Option<String>),
    /// A Supabase migration without a (non-empty) `filePath`.
    #[error("a Supabase migration requires a filePath")]
    MigrationWithoutPath,
}

/// An artifact as bolt.diy records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArtifactData {
    /// `{message_id}-{n}`, `n` counting the artifacts of the message from 0.
    pub id: String,
    /// The `title` attribute.
    pub title: Option<String>,
    /// The `type` attribute (`bundled` for the artifact that sets up a template).
    pub artifact_type: Option<String>,
}

/// An action as bolt.diy records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionData {
    /// The `type` attribute; `None` when absent.
    pub action_type: Option<String>,
    /// `filePath` of a file action, a Supabase migration or an action of an unknown type.
    pub file_path: Option<String>,
    /// `operation` of a Supabase action.
    pub operation: Option<String>,
    /// Empty on open; the content so far on stream; the final content on close.
    pub content: String,
}

impl ActionData {
    fn is_file(&self) -> bool {
        self.action_type.as_deref() == Some("file")
    }

    fn into_bolt_action(self) -> BoltAction {
        let ActionData {
            action_type,
            file_path,
            operation,
            content,
        } = self;
        match action_type.as_deref() {
            Some("file") => BoltAction::File {
                file_path: file_path.unwrap_or_default(),
                content,
            },
            Some("shell") => BoltAction::Shell { command: content },
            Some("start") => BoltAction::Start { command: content },
            Some("supabase") => BoltAction::Supabase {
                operation: operation.unwrap_or_default(),
                file_path,
                content,
            },
            _ => BoltAction::Other {
                action_type: action_type.unwrap_or_default(),
                file_path,
                content,
            },
        }
    }
}

/// An artifact event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactEvent {
    /// The message the artifact is in.
    pub message_id: String,
    /// The artifact.
    pub artifact: ArtifactData,
}

/// An action event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEvent {
    /// The message the action is in.
    pub message_id: String,
    /// The artifact the action is in.
    pub artifact_id: String,
    /// Counts the actions of the message from 0, across artifacts. Signed like bolt.diy's
    /// `actionId - 1`, which is `-1` when an action closes after a failed first open.
    pub action_id: i64,
    /// The action.
    pub action: ActionData,
}

/// What the parser saw, in order (bolt.diy's callbacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParserEvent {
    /// `onArtifactOpen`: a complete `<boltArtifact …>` tag.
    ArtifactOpen(ArtifactEvent),
    /// `onArtifactClose`: `</boltArtifact>`.
    ArtifactClose(ArtifactEvent),
    /// `onActionOpen`: a complete `<boltAction …>` tag; the content is empty.
    ActionOpen(ActionEvent),
    /// `onActionStream`: a file action not closed yet, on every call, with its content so far.
    ActionStream(ActionEvent),
    /// `onActionClose`: `</boltAction>`, with the final content.
    ActionClose(ActionEvent),
}

impl ParserEvent {
    /// The action this event closes, if it closes one.
    pub fn into_closed_action(self) -> Option<BoltAction> {
        match self {
            ParserEvent::ActionClose(event) => Some(event.action.into_bolt_action()),
            _ => None,
        }
    }
}

/// Builds the element that stands for an artifact in the prose, from the message id and the
/// artifact id.
pub type ArtifactElement = fn(&str, &str) -> String;

/// bolt.diy's `createArtifactElement`:
/// `<div class="__boltArtifact__" data-message-id="…" data-artifact-id="…"></div>`.
pub fn bolt_artifact_element(message_id: &str, artifact_id: &str) -> String {
    format!(
        "<div class=\"__boltArtifact__\" data-message-id={} data-artifact-id={}></div>",
        json_string(message_id),
        json_string(artifact_id)
    )
}

/// What the parser remembers of one message between calls.
#[derive(Debug, Default)]
struct MessageState {
    position: usize,
    artifact: Option<ArtifactData>,
    inside_action: bool,
    inside_thought: bool,
    artifact_counter: usize,
    action: ActionData,
    action_id: i64,
}

/// bolt.diy's `StreamingMessageParser`: call [`parse`](Self::parse) with the whole message
/// received so far, as often as it grows; collect events with
/// [`take_events`](Self::take_events).
#[derive(Debug)]
pub struct StreamingParser {
    messages: HashMap<String, MessageState>,
    events: Vec<ParserEvent>,
    artifact_element: ArtifactElement,
    thoughts_as_prose: bool,
}

impl Default for StreamingParser {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamingParser {
    /// A parser that behaves exactly like bolt.diy's.
    pub fn new() -> Self {
        Self {
            messages: HashMap::new(),
            events: Vec::new(),
            artifact_element: bolt_artifact_element,
            thoughts_as_prose: false,
        }
    }

    /// Replaces the element written to the prose for each artifact (bolt.diy's
    /// `artifactElement` option).
    pub fn with_artifact_element(mut self, element: ArtifactElement) -> Self {
        self.artifact_element = element;
        self
    }

    /// When set, a `<div class="__boltThought__">…</div>` block in the prose is passed through
    /// as prose, tags and all (a deliberate difference from bolt.diy).
    pub fn with_thoughts_as_prose(mut self, yes: bool) -> Self {
        self.thoughts_as_prose = yes;
        self
    }

    /// Parses `input`, the whole message `message_id` so far, from where the last call stopped,
    /// and returns the new prose. On an error, nothing of this call's prose is returned and the
    /// position stays where it was, as when bolt.diy's `parse` throws.
    pub fn parse(&mut self, message_id: &str, input: &str) -> Result<String, ParseError> {
        let state = self.messages.entry(message_id.to_owned()).or_default();
        let start = resume_position(input, state.position);
        let mut pass = Pass {
            message_id,
            input,
            state,
            events: &mut self.events,
            artifact_element: self.artifact_element,
            thoughts_as_prose: self.thoughts_as_prose,
            output: String::new(),
            i: start,
            found: Vec::new(),
        };
        pass.run()?;
        pass.state.position = pass.i;
        Ok(pass.output)
    }

    /// The events recorded since the last call, in order.
    pub fn take_events(&mut self) -> Vec<ParserEvent> {
        std::mem::take(&mut self.events)
    }

    /// Forgets every message (bolt.diy's `reset`).
    pub fn reset(&mut self) {
        self.messages.clear();
    }
}

/// Where to resume: the saved position, moved forward to a char boundary if the input changed.
fn resume_position(input: &str, position: usize) -> usize {
    if position >= input.len() {
        return position;
    }
    (position..=input.len())
        .find(|&p| input.is_char_boundary(p))
        .unwrap_or(input.len())
}

/// Whether the main loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// One call of `parse`: the loop of bolt.diy's `parse`, one branch per method.
struct Pass<'a> {
    message_id: &'a str,
    input: &'a str,
    state: &'a mut MessageState,
    events: &'a mut Vec<ParserEvent>,
    artifact_element: ArtifactElement,
    thoughts_as_prose: bool,
    output: String,
    i: usize,
    /// The last answer of [`Pass::find`] for each tag: where it is next, or that it is nowhere
    /// further. The position only moves forward within a pass, so an answer holds until the
    /// position passes it, and "nowhere" holds for the rest of the pass. Without this, each
    /// action of an artifact would search to the artifact's end again: quadratic in a message
    /// with many actions (a 7 MB history of 100,000 file actions took 45 s).
    found: Vec<(&'static str, Option<usize>)>,
}

impl Pass<'_> {
    /// The next `needle` at or after the current position, searched once per occurrence.
    fn find(&mut self, needle: &'static str) -> Option<usize> {
        let from = self.i;
        if let Some((_, known)) = self.found.iter().find(|(n, _)| *n == needle) {
            match *known {
                None => return None,
                Some(at) if at >= from => return Some(at),
                Some(_) => {}
            }
        }
        let at = find_from(self.input, needle, from);
        match self.found.iter_mut().find(|(n, _)| *n == needle) {
            Some(entry) => entry.1 = at,
            None => self.found.push((needle, at)),
        }
        at
    }

    fn run(&mut self) -> Result<(), ParseError> {
        while self.i < self.input.len() {
            if self.step()? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }

    fn step(&mut self) -> Result<Flow, ParseError> {
        if self.state.inside_thought {
            return Ok(self.thought_body());
        }
        if self.rest().starts_with(QUICK_ACTIONS_OPEN) && self.quick_actions() {
            return Ok(Flow::Continue);
        }
        if self.state.artifact.is_some() {
            if self.state.inside_action {
                self.action_body()
            } else {
                self.artifact_body()
            }
        } else if self.at_tag_start() {
            Ok(self.tag_start())
        } else {
            let end = self.i + char_len_at(self.input, self.i);
            self.emit_prose(end);
            Ok(Flow::Continue)
        }
    }

    /// The unparsed input.
    fn rest(&self) -> &str {
        self.input.get(self.i..).unwrap_or("")
    }

    /// Copies the input up to `end` to the prose.
    fn emit_prose(&mut self, end: usize) {
        if let Some(text) = self.input.get(self.i..end) {
            self.output.push_str(text);
        }
        self.i = end;
    }

    fn at_tag_start(&self) -> bool {
        let bytes = self.input.as_bytes();
        bytes.get(self.i) == Some(&b'<') && bytes.get(self.i + 1) != Some(&b'/')
    }

    /// A whole `<bolt-quick-actions>` block becomes buttons; `false` if it is not closed yet.
    fn quick_actions(&mut self) -> bool {
        let Some(end) = self.find(QUICK_ACTIONS_CLOSE) else {
            return false;
        };
        let block = self
            .input
            .get(self.i + QUICK_ACTIONS_OPEN.len()..end)
            .unwrap_or("");
        self.output.push_str(&render_quick_actions(block));
        self.i = end + QUICK_ACTIONS_CLOSE.len();
        true
    }

    /// Inside an artifact, between actions: the next action or the end of the artifact.
    fn artifact_body(&mut self) -> Result<Flow, ParseError> {
        let action_open = self.find(ACTION_TAG_OPEN);
        let artifact_close = self.find(ARTIFACT_TAG_CLOSE);
        match (action_open, artifact_close) {
            (Some(open), close) if close.is_none_or(|close| open < close) => self.open_action(open),
            (_, Some(close)) => Ok(self.close_artifact(close)),
            _ => Ok(Flow::Stop),
        }
    }

    fn open_action(&mut self, open: usize) -> Result<Flow, ParseError> {
        let Some(tag_end) = find_from(self.input, ">", open) else {
            return Ok(Flow::Stop);
        };
        // bolt.diy sets `insideAction` before parsing the tag, which may throw.
        self.state.inside_action = true;
        self.state.action = parse_action_tag(self.input.get(open..=tag_end).unwrap_or(""))?;
        let action_id = self.state.action_id;
        self.state.action_id += 1;
        let event = self.action_event(action_id, self.state.action.clone());
        self.events.push(ParserEvent::ActionOpen(event));
        self.i = tag_end + 1;
        Ok(Flow::Continue)
    }

    fn close_artifact(&mut self, close: usize) -> Flow {
        if let Some(artifact) = self.state.artifact.take() {
            self.events.push(ParserEvent::ArtifactClose(ArtifactEvent {
                message_id: self.message_id.to_owned(),
                artifact,
            }));
        }
        self.i = close + ARTIFACT_TAG_CLOSE.len();
        Flow::Continue
    }

    /// Inside an action: its end, or (a file action) its content so far.
    fn action_body(&mut self) -> Result<Flow, ParseError> {
        match self.find(ACTION_TAG_CLOSE) {
            Some(close) => {
                self.close_action(close)?;
                Ok(Flow::Continue)
            }
            None => {
                self.stream_action()?;
                Ok(Flow::Stop)
            }
        }
    }

    fn close_action(&mut self, close: usize) -> Result<(), ParseError> {
        let body = self.input.get(self.i..close).unwrap_or("");
        // bolt.diy appends before it may throw, so a retry appends again.
        self.state.action.content.push_str(body);
        let action = &self.state.action;
        let mut content = js_trim(&action.content).to_owned();
        if action.is_file() {
            let path = action
                .file_path
                .as_deref()
                .ok_or(ParseError::FileActionWithoutPath)?;
            if !path.ends_with(".md") {
                content = clean_file_content(&content);
            }
            content.push('\n');
        }
        let mut action = std::mem::take(&mut self.state.action);
        action.content = content;
        self.state.inside_action = false;
        let event = self.action_event(self.state.action_id - 1, action);
        self.events.push(ParserEvent::ActionClose(event));
        self.i = close + ACTION_TAG_CLOSE.len();
        Ok(())
    }

    fn stream_action(&mut self) -> Result<(), ParseError> {
        let action = &self.state.action;
        if !action.is_file() {
            return Ok(());
        }
        let path = action
            .file_path
            .as_deref()
            .ok_or(ParseError::FileActionWithoutPath)?;
        let rest = self.rest();
        let content = if path.ends_with(".md") {
            rest.to_owned()
        } else {
            clean_file_content(rest)
        };
        let action = ActionData {
            content,
            ..action.clone()
        };
        let event = self.action_event(self.state.action_id - 1, action);
        self.events.push(ParserEvent::ActionStream(event));
        Ok(())
    }

    fn action_event(&self, action_id: i64, action: ActionData) -> ActionEvent {
        ActionEvent {
            message_id: self.message_id.to_owned(),
            artifact_id: self
                .state
                .artifact
                .as_ref()
                .map(|artifact| artifact.id.clone())
                .unwrap_or_default(),
            action_id,
            action,
        }
    }

    /// A `<` in the prose that does not start a closing tag: maybe `<boltArtifact`.
    fn tag_start(&mut self) -> Flow {
        if self.thoughts_as_prose {
            if let Some(flow) = self.thought_start() {
                return flow;
            }
        }
        let rest = self.rest();
        let matched = common_prefix_len(rest, ARTIFACT_TAG_OPEN);
        if matched == ARTIFACT_TAG_OPEN.len() {
            return self.open_artifact();
        }
        if matched == rest.len() {
            // All of the input left is a prefix of `<boltArtifact`: wait for more.
            return Flow::Stop;
        }
        // bolt.diy writes out the characters it compared, the mismatching one included.
        let end = self.i + matched + char_len_at(rest, matched);
        self.emit_prose(end);
        Flow::Continue
    }

    fn open_artifact(&mut self) -> Flow {
        let name_end = self.i + ARTIFACT_TAG_OPEN.len();
        match self.input.as_bytes().get(name_end) {
            None | Some(b'>') | Some(b' ') => {}
            Some(_) => {
                self.emit_prose(name_end);
                return Flow::Continue;
            }
        }
        let Some(tag_end) = find_from(self.input, ">", name_end) else {
            return Flow::Stop;
        };
        let tag = self.input.get(self.i..=tag_end).unwrap_or("");
        let id = format!("{}-{}", self.message_id, self.state.artifact_counter);
        self.state.artifact_counter += 1;
        let artifact = ArtifactData {
            id: id.clone(),
            title: extract_attribute(tag, "title"),
            artifact_type: extract_attribute(tag, "type"),
        };
        self.state.artifact = Some(artifact.clone());
        self.events.push(ParserEvent::ArtifactOpen(ArtifactEvent {
            message_id: self.message_id.to_owned(),
            artifact,
        }));
        self.output
            .push_str(&(self.artifact_element)(self.message_id, &id));
        self.i = tag_end + 1;
        Flow::Continue
    }

    /// The start of a reasoning block (only with `thoughts_as_prose`); `None` if not one.
    fn thought_start(&mut self) -> Option<Flow> {
        let rest = self.rest();
        if rest.starts_with(THOUGHT_OPEN) {
            self.state.inside_thought = true;
            self.emit_prose(self.i + THOUGHT_OPEN.len());
            return Some(Flow::Continue);
        }
        THOUGHT_OPEN.starts_with(rest).then_some(Flow::Stop)
    }

    /// Inside a reasoning block: prose up to `</div>`, holding back a partial `</div>`.
    fn thought_body(&mut self) -> Flow {
        if let Some(close) = self.find(THOUGHT_CLOSE) {
            self.state.inside_thought = false;
            self.emit_prose(close + THOUGHT_CLOSE.len());
            return Flow::Continue;
        }
        let held = partial_suffix_len(self.rest(), THOUGHT_CLOSE);
        self.emit_prose(self.input.len() - held);
        Flow::Stop
    }
}

/// bolt.diy's `#parseActionTag`.
fn parse_action_tag(tag: &str) -> Result<ActionData, ParseError> {
    let action_type = extract_attribute(tag, "type");
    let mut action = ActionData {
        action_type,
        ..ActionData::default()
    };
    match action.action_type.as_deref() {
        Some("supabase") => {
            let operation = extract_attribute(tag, "operation");
            match operation.as_deref() {
                Some("query") => {}
                Some("migration") => {
                    let file_path = extract_attribute(tag, "filePath")
                        .filter(|path| !path.is_empty())
                        .ok_or(ParseError::MigrationWithoutPath)?;
                    action.file_path = Some(file_path);
                }
                _ => return Err(ParseError::InvalidSupabaseOperation(operation)),
            }
            action.operation = operation;
        }
        Some("shell") | Some("start") => {}
        // `file` as bolt.diy; any other type: kept for the report (bolt.diy drops it).
        _ => action.file_path = extract_attribute(tag, "filePath"),
    }
    Ok(action)
}

/// bolt.diy's `#extractAttribute`: `/{name}="([^"]*)"/i`, first match.
fn extract_attribute(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let pattern_len = name.len() + 2;
    let start = bytes.windows(pattern_len).position(|window| {
        window[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && &window[name.len()..] == b"=\""
    })?;
    let value_start = start + pattern_len;
    let value = tag.get(value_start..)?;
    let value_len = value.find('"')?;
    Some(value[..value_len].to_owned())
}

/// What bolt.diy does to a file's content (not `.md`): `cleanoutMarkdownSyntax`, then
/// `cleanEscapedTags`.
fn clean_file_content(content: &str) -> String {
    clean_escaped_tags(cleanout_markdown_syntax(content))
}

/// bolt.diy's `cleanEscapedTags`.
fn clean_escaped_tags(content: &str) -> String {
    content.replace("&lt;", "<").replace("&gt;", ">")
}

/// bolt.diy's `cleanoutMarkdownSyntax`: the body of `/^\s*```\w*\n([\s\S]*?)\n\s*```\s*$/`,
/// or the content unchanged.
fn cleanout_markdown_syntax(content: &str) -> &str {
    fenced_body(content).unwrap_or(content)
}

fn fenced_body(content: &str) -> Option<&str> {
    let after_fence = js_trim_start(content).strip_prefix("```")?;
    let language_len = after_fence
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let body = after_fence.get(language_len..)?.strip_prefix('\n')?;
    let body_start = content.len() - body.len();
    let closing = js_trim_end(content).strip_suffix("```")?;
    let fence_start = closing.len();
    // The lazy body ends at the first `\n` after which only whitespace precedes the fence.
    let blank_start = js_trim_end(closing).len().max(body_start);
    let newline = content.get(blank_start..fence_start)?.find('\n')?;
    content.get(body_start..blank_start + newline)
}

/// JavaScript's `\s` and `String.prototype.trim` whitespace (not Rust's `char::is_whitespace`:
/// U+FEFF is in, U+0085 is out).
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

fn js_trim_start(s: &str) -> &str {
    s.trim_start_matches(is_js_whitespace)
}

fn js_trim_end(s: &str) -> &str {
    s.trim_end_matches(is_js_whitespace)
}

/// bolt.diy's quick-action group and buttons for the inside of a `<bolt-quick-actions>` block.
fn render_quick_actions(block: &str) -> String {
    let mut buttons = String::new();
    let mut from = 0;
    while let Some((attributes, label, next)) = next_quick_action(block, from) {
        buttons.push_str(&quick_action_button(attributes, label));
        from = next;
    }
    format!("<div class=\"__boltQuickAction__\" data-bolt-quick-action=\"true\">{buttons}</div>")
}

/// The next `/<bolt-quick-action([^>]*)>([\s\S]*?)<\/bolt-quick-action>/` from `from`:
/// attributes, label and where the match ends.
fn next_quick_action(block: &str, from: usize) -> Option<(&str, &str, usize)> {
    let open = find_from(block, QUICK_ACTION_OPEN, from)?;
    let attributes_start = open + QUICK_ACTION_OPEN.len();
    let tag_end = find_from(block, ">", attributes_start)?;
    let close = find_from(block, QUICK_ACTION_CLOSE, tag_end + 1)?;
    Some((
        block.get(attributes_start..tag_end)?,
        block.get(tag_end + 1..close)?,
        close + QUICK_ACTION_CLOSE.len(),
    ))
}

fn quick_action_button(attributes: &str, label: &str) -> String {
    let data: String = ["type", "message", "path", "href"]
        .iter()
        .map(|name| {
            let value = extract_attribute(attributes, name).unwrap_or_default();
            format!(" data-{name}={}", json_string(&value))
        })
        .collect();
    format!(
        "<button class=\"__boltQuickAction__\" data-bolt-quick-action=\"true\"{data}>{label}</button>"
    )
}

/// `JSON.stringify` of a string.
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `haystack.indexOf(needle, from)`, in bytes.
fn find_from(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    haystack.get(from..)?.find(needle).map(|found| found + from)
}

/// The length in bytes of the char at `index` (1 past the end, so that loops move on).
fn char_len_at(s: &str, index: usize) -> usize {
    s.get(index..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8)
}

/// How many leading bytes `s` shares with the ASCII `pattern`.
fn common_prefix_len(s: &str, pattern: &str) -> usize {
    s.bytes()
        .zip(pattern.bytes())
        .take_while(|(a, b)| a == b)
        .count()
}

/// The longest end of `s` that is a proper start of the ASCII `pattern`.
fn partial_suffix_len(s: &str, pattern: &str) -> usize {
    (1..pattern.len())
        .rev()
        .find(|&len| s.ends_with(&pattern[..len]))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
