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
    #[error("invalid Supabase operation: {0:?}")]
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
}

impl Pass<'_> {
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
        let Some(end) = find_from(self.input, QUICK_ACTIONS_CLOSE, self.i) else {
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
        let action_open = find_from(self.input, ACTION_TAG_OPEN, self.i);
        let artifact_close = find_from(self.input, ARTIFACT_TAG_CLOSE, self.i);
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
        match find_from(self.input, ACTION_TAG_CLOSE, self.i) {
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
        if let Some(close) = find_from(self.input, THOUGHT_CLOSE, self.i) {
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
mod tests {
    use super::*;

    const MSG: &str = "message_1";

    /// One table row: a message (the spec's chunks, joined), the prose and the events expected.
    struct Case {
        name: &'static str,
        chunks: &'static [&'static str],
        output: &'static str,
        events: Vec<ParserEvent>,
        error: Option<ParseError>,
        /// Whether any chunking gives the same result (bolt.diy's own exceptions: errors,
        /// quick actions).
        split_invariant: bool,
        thoughts_as_prose: bool,
    }

    fn case(
        name: &'static str,
        chunks: &'static [&'static str],
        output: &'static str,
        events: Vec<Vec<ParserEvent>>,
    ) -> Case {
        Case {
            name,
            chunks,
            output,
            events: events.concat(),
            error: None,
            split_invariant: true,
            thoughts_as_prose: false,
        }
    }

    fn artifact(n: usize, title: Option<&str>, artifact_type: Option<&str>) -> ArtifactData {
        ArtifactData {
            id: format!("{MSG}-{n}"),
            title: title.map(str::to_owned),
            artifact_type: artifact_type.map(str::to_owned),
        }
    }

    fn artifact_event(artifact: &ArtifactData) -> ArtifactEvent {
        ArtifactEvent {
            message_id: MSG.to_owned(),
            artifact: artifact.clone(),
        }
    }

    fn open(artifact: &ArtifactData) -> Vec<ParserEvent> {
        vec![ParserEvent::ArtifactOpen(artifact_event(artifact))]
    }

    fn close(artifact: &ArtifactData) -> Vec<ParserEvent> {
        vec![ParserEvent::ArtifactClose(artifact_event(artifact))]
    }

    /// An artifact with nothing in it, opened and closed.
    fn empty(artifact: &ArtifactData) -> Vec<ParserEvent> {
        [open(artifact), close(artifact)].concat()
    }

    fn data(action_type: Option<&str>, file_path: Option<&str>, content: &str) -> ActionData {
        ActionData {
            action_type: action_type.map(str::to_owned),
            file_path: file_path.map(str::to_owned),
            operation: None,
            content: content.to_owned(),
        }
    }

    fn file(path: &str, content: &str) -> ActionData {
        data(Some("file"), Some(path), content)
    }

    fn shell(command: &str) -> ActionData {
        data(Some("shell"), None, command)
    }

    fn supabase(operation: &str, file_path: Option<&str>, content: &str) -> ActionData {
        ActionData {
            operation: Some(operation.to_owned()),
            ..data(Some("supabase"), file_path, content)
        }
    }

    fn action_event(artifact: &ArtifactData, id: i64, action: ActionData) -> ActionEvent {
        ActionEvent {
            message_id: MSG.to_owned(),
            artifact_id: artifact.id.clone(),
            action_id: id,
            action,
        }
    }

    fn action_open(artifact: &ArtifactData, id: i64, action: &ActionData) -> Vec<ParserEvent> {
        let opened = ActionData {
            content: String::new(),
            ..action.clone()
        };
        vec![ParserEvent::ActionOpen(action_event(artifact, id, opened))]
    }

    /// An action opened, then closed with `action` (its final content).
    fn action(artifact: &ArtifactData, id: i64, action: ActionData) -> Vec<ParserEvent> {
        let mut events = action_open(artifact, id, &action);
        events.push(ParserEvent::ActionClose(action_event(artifact, id, action)));
        events
    }

    fn no_element(_: &str, _: &str) -> String {
        String::new()
    }

    /// The outcome of feeding a message in chunks, as bolt.diy's spec does.
    #[derive(Debug, PartialEq)]
    struct Run {
        output: String,
        events: Vec<ParserEvent>,
        error: Option<ParseError>,
    }

    fn run<'a>(chunks: impl IntoIterator<Item = &'a str>, thoughts_as_prose: bool) -> Run {
        let mut parser = StreamingParser::new()
            .with_artifact_element(no_element)
            .with_thoughts_as_prose(thoughts_as_prose);
        let mut message = String::new();
        let mut output = String::new();
        let mut error = None;
        for chunk in chunks {
            message.push_str(chunk);
            match parser.parse(MSG, &message) {
                Ok(prose) => output.push_str(&prose),
                Err(e) => error = Some(e),
            }
        }
        let events = parser
            .take_events()
            .into_iter()
            .filter(|event| !matches!(event, ParserEvent::ActionStream(_)))
            .collect();
        Run {
            output,
            events,
            error,
        }
    }

    /// Every way to cut `input` once on a char boundary, then char by char.
    fn chunkings(input: &str) -> Vec<Vec<&str>> {
        let boundaries: Vec<usize> = input.char_indices().map(|(i, _)| i).skip(1).collect();
        let mut all: Vec<Vec<&str>> = boundaries
            .iter()
            .map(|&at| vec![&input[..at], &input[at..]])
            .collect();
        let mut chars = Vec::new();
        let mut start = 0;
        for &at in boundaries.iter().chain(std::iter::once(&input.len())) {
            chars.push(&input[start..at]);
            start = at;
        }
        all.push(chars);
        all
    }

    const BEFORE: &str = "Some text before  Some more text";

    fn spec_cases() -> Vec<Case> {
        let titled = artifact(0, Some("Some title"), None);
        let bundled = artifact(0, Some("Some title"), Some("bundled"));
        vec![
            case("pass through normal text", &["Hello, world!"], "Hello, world!", vec![]),
            case(
                "allow normal HTML tags",
                &["Hello <strong>world</strong>!"],
                "Hello <strong>world</strong>!",
                vec![],
            ),
            case("no artifacts 0", &["Foo bar"], "Foo bar", vec![]),
            case("no artifacts 1", &["Foo bar <"], "Foo bar ", vec![]),
            case("no artifacts 2", &["Foo bar <p"], "Foo bar <p", vec![]),
            case(
                "no artifacts 3",
                &["Foo bar <", "s", "p", "an>some text</span>"],
                "Foo bar <span>some text</span>",
                vec![],
            ),
            case("invalid 0", &["Foo bar <b"], "Foo bar ", vec![]),
            case("invalid 1", &["Foo bar <ba"], "Foo bar <ba", vec![]),
            case("invalid 2", &["Foo bar <bol"], "Foo bar ", vec![]),
            case("invalid 3", &["Foo bar <bolt"], "Foo bar ", vec![]),
            case("invalid 4", &["Foo bar <bolta"], "Foo bar <bolta", vec![]),
            case("invalid 5", &["Foo bar <boltA"], "Foo bar ", vec![]),
            case(
                "invalid 6",
                &["Foo bar <boltArtifacs></boltArtifact>"],
                "Foo bar <boltArtifacs></boltArtifact>",
                vec![],
            ),
            case(
                "invalid 7",
                &["Before <oltArtfiact>foo</boltArtifact> After"],
                "Before <oltArtfiact>foo</boltArtifact> After",
                vec![],
            ),
            case(
                "invalid 8",
                &["Before <boltArtifactt>foo</boltArtifact> After"],
                "Before <boltArtifactt>foo</boltArtifact> After",
                vec![],
            ),
            case(
                "valid without actions 0",
                &["Some text before <boltArtifact title=\"Some title\" id=\"artifact_1\">foo bar</boltArtifact> Some more text"],
                BEFORE,
                vec![empty(&titled)],
            ),
            case(
                "valid without actions 1",
                &[
                    "Some text before <boltArti",
                    "fact",
                    " title=\"Some title\" id=\"artifact_1\" type=\"bundled\" >foo</boltArtifact> Some more text",
                ],
                BEFORE,
                vec![empty(&bundled)],
            ),
            case(
                "valid without actions 2",
                &[
                    "Some text before <boltArti",
                    "fac",
                    "t title=\"Some title\" id=\"artifact_1\"",
                    " ",
                    ">",
                    "foo</boltArtifact> Some more text",
                ],
                BEFORE,
                vec![empty(&titled)],
            ),
            case(
                "valid without actions 3",
                &[
                    "Some text before <boltArti",
                    "fact",
                    " title=\"Some title\" id=\"artifact_1\"",
                    " >fo",
                    "o</boltArtifact> Some more text",
                ],
                BEFORE,
                vec![empty(&titled)],
            ),
            case(
                "valid without actions 4",
                &[
                    "Some text before <boltArti",
                    "fact tit",
                    "le=\"Some ",
                    "title\" id=\"artifact_1\">fo",
                    "o",
                    "<",
                    "/boltArtifact> Some more text",
                ],
                BEFORE,
                vec![empty(&titled)],
            ),
            case(
                "valid without actions 5",
                &[
                    "Some text before <boltArti",
                    "fact title=\"Some title\" id=\"artif",
                    "act_1\">fo",
                    "o<",
                    "/boltArtifact> Some more text",
                ],
                BEFORE,
                vec![empty(&titled)],
            ),
            case(
                "valid without actions 6",
                &["Before <boltArtifact title=\"Some title\" id=\"artifact_1\">foo</boltArtifact> After"],
                "Before  After",
                vec![empty(&titled)],
            ),
            case(
                "valid with actions 0",
                &["Before <boltArtifact title=\"Some title\" id=\"artifact_1\"><boltAction type=\"shell\">npm install</boltAction></boltArtifact> After"],
                "Before  After",
                vec![open(&titled), action(&titled, 0, shell("npm install")), close(&titled)],
            ),
            case(
                "valid with actions 1",
                &["Before <boltArtifact title=\"Some title\" id=\"artifact_1\"><boltAction type=\"shell\">npm install</boltAction><boltAction type=\"file\" filePath=\"index.js\">some content</boltAction></boltArtifact> After"],
                "Before  After",
                vec![
                    open(&titled),
                    action(&titled, 0, shell("npm install")),
                    action(&titled, 1, file("index.js", "some content\n")),
                    close(&titled),
                ],
            ),
        ]
    }

    fn added_cases() -> Vec<Case> {
        let t = artifact(0, Some("t"), None);
        let second = artifact(1, Some("Two"), Some("bundled"));
        let one = artifact(0, Some("One"), None);
        let untitled = artifact(0, None, None);
        let real0 = artifact(0, Some("Real"), None);
        let fake = artifact(0, Some("Fake"), None);
        let real1 = artifact(1, Some("Real"), None);
        let demo = artifact(0, Some("Démo 🎉"), None);
        vec![
            case(
                "several artifacts: ids count per message, action ids across artifacts",
                &["A <boltArtifact id=\"x\" title=\"One\"><boltAction type=\"shell\">npm install</boltAction></boltArtifact> B <boltArtifact id=\"y\" title=\"Two\" type=\"bundled\"><boltAction type=\"file\" filePath=\"src/App.tsx\">x</boltAction><boltAction type=\"start\">npm run dev</boltAction></boltArtifact> C"],
                "A  B  C",
                vec![
                    open(&one),
                    action(&one, 0, shell("npm install")),
                    close(&one),
                    open(&second),
                    action(&second, 1, file("src/App.tsx", "x\n")),
                    action(&second, 2, data(Some("start"), None, "npm run dev")),
                    close(&second),
                ],
            ),
            case(
                "a fenced file body loses its fence",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"src/App.tsx\">\n```tsx\nexport const A = () => <div/>;\n\n```\n</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("src/App.tsx", "export const A = () => <div/>;\n")), close(&t)],
            ),
            case(
                "a fenced .md body keeps its fence",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"README.md\">```md\n# Hi\n```</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("README.md", "```md\n# Hi\n```\n")), close(&t)],
            ),
            case(
                "a CRLF fence is not a fence (\\w*\\n)",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.ts\">```ts\r\nlet a;\r\n```</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("a.ts", "```ts\r\nlet a;\r\n```\n")), close(&t)],
            ),
            case(
                "&lt; and &gt; decoded in .tsx, kept in .md",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.tsx\">x &lt;b&gt; &amp;lt;</boltAction><boltAction type=\"file\" filePath=\"docs/a.md\">x &lt;b&gt;</boltAction></boltArtifact>"],
                "",
                vec![
                    open(&t),
                    action(&t, 0, file("a.tsx", "x <b> &amp;lt;\n")),
                    action(&t, 1, file("docs/a.md", "x &lt;b&gt;\n")),
                    close(&t),
                ],
            ),
            case(
                "entities stay in prose and in commands",
                &["1 &lt; 2 <boltArtifact title=\"t\"><boltAction type=\"shell\">  echo a &gt; b\n</boltAction></boltArtifact>"],
                "1 &lt; 2 ",
                vec![open(&t), action(&t, 0, shell("echo a &gt; b")), close(&t)],
            ),
            case(
                "a body is trimmed, then gets exactly one newline",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.ts\">\n\n  const a = 1;  \n\n\n</boltAction><boltAction type=\"file\" filePath=\"b.ts\">b\n</boltAction><boltAction type=\"file\" filePath=\"c.ts\">   </boltAction></boltArtifact>"],
                "",
                vec![
                    open(&t),
                    action(&t, 0, file("a.ts", "const a = 1;\n")),
                    action(&t, 1, file("b.ts", "b\n")),
                    action(&t, 2, file("c.ts", "\n")),
                    close(&t),
                ],
            ),
            case(
                "JavaScript whitespace: U+FEFF is trimmed, U+0085 is not",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.ts\">\u{feff}x\u{85}</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("a.ts", "x\u{85}\n")), close(&t)],
            ),
            case(
                "/home/project/ is kept in filePath",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"/home/project/src/main.ts\">m</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("/home/project/src/main.ts", "m\n")), close(&t)],
            ),
            case(
                "attribute names are case-insensitive, values are not",
                &["<boltArtifact TITLE=\"Up\" Type=\"bundled\"><boltAction TYPE=\"file\" FilePath=\"A.ts\">x</boltAction><boltAction type=\"Shell\">ls</boltAction></boltArtifact>"],
                "",
                vec![
                    open(&artifact(0, Some("Up"), Some("bundled"))),
                    action(&artifact(0, Some("Up"), Some("bundled")), 0, file("A.ts", "x\n")),
                    action(&artifact(0, Some("Up"), Some("bundled")), 1, data(Some("Shell"), None, "ls")),
                    close(&artifact(0, Some("Up"), Some("bundled"))),
                ],
            ),
            case(
                "tag names are case-sensitive",
                &["<BoltArtifact title=\"t\">x</BoltArtifact>"],
                "<BoltArtifact title=\"t\">x</BoltArtifact>",
                vec![],
            ),
            case(
                "a newline after <boltArtifact is prose",
                &["<boltArtifact\ntitle=\"t\">x</boltArtifact>"],
                "<boltArtifact\ntitle=\"t\">x</boltArtifact>",
                vec![],
            ),
            case(
                "<<boltArtifact is prose",
                &["<<boltArtifact title=\"t\">x</boltArtifact>"],
                "<<boltArtifact title=\"t\">x</boltArtifact>",
                vec![],
            ),
            case(
                "<boltArtifact> without attributes",
                &["a<boltArtifact>b</boltArtifact>c"],
                "ac",
                vec![empty(&untitled)],
            ),
            case(
                "an artifact open tag without > waits",
                &["Hi <boltArtifact title=\"t\""],
                "Hi ",
                vec![],
            ),
            case("closing tags and a trailing < in prose", &["a</b> c <"], "a</b> c ", vec![]),
            case(
                "an action outside an artifact is prose",
                &["<boltAction type=\"file\" filePath=\"a.ts\">x</boltAction>"],
                "<boltAction type=\"file\" filePath=\"a.ts\">x</boltAction>",
                vec![],
            ),
            case(
                "text between actions is dropped",
                &["x<boltArtifact title=\"t\">junk<boltAction type=\"shell\">ls</boltAction>more</boltArtifact>y"],
                "xy",
                vec![open(&t), action(&t, 0, shell("ls")), close(&t)],
            ),
            case(
                "any <boltAction… opens an action",
                &["<boltArtifact title=\"t\"><boltActionX type=\"shell\">ls</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, shell("ls")), close(&t)],
            ),
            case(
                "the tag ends at the first >, even in a value",
                &["<boltArtifact title=\"t\"><boltAction type=\"shell\" note=\"a>b\">ls</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, shell("b\">ls")), close(&t)],
            ),
            case(
                "the same path twice: both, in order",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"src/App.tsx\">v1</boltAction><boltAction type=\"file\" filePath=\"src/App.tsx\">v2</boltAction></boltArtifact>"],
                "",
                vec![
                    open(&t),
                    action(&t, 0, file("src/App.tsx", "v1\n")),
                    action(&t, 1, file("src/App.tsx", "v2\n")),
                    close(&t),
                ],
            ),
            case(
                "multibyte UTF-8 in prose, title, path and content",
                &["Voilà 🚀 <boltArtifact title=\"Démo 🎉\"><boltAction type=\"file\" filePath=\"src/数据.ts\">export const 名前 = \"こんにちは 👋\";</boltAction></boltArtifact> 完成 ✅"],
                "Voilà 🚀  完成 ✅",
                vec![
                    open(&demo),
                    action(&demo, 0, file("src/数据.ts", "export const 名前 = \"こんにちは 👋\";\n")),
                    close(&demo),
                ],
            ),
            case(
                "an unclosed action at the end is never closed",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.ts\">partial"],
                "",
                vec![open(&t), action_open(&t, 0, &file("a.ts", ""))],
            ),
            case(
                "an unclosed artifact keeps its closed actions",
                &["<boltArtifact title=\"t\"><boltAction type=\"shell\">ls</boltAction>"],
                "",
                vec![open(&t), action(&t, 0, shell("ls"))],
            ),
            case(
                "edit and supabase actions",
                &["<boltArtifact title=\"t\"><boltAction type=\"edit\" filePath=\"src/a.ts\" diffType=\"unified\">--- a\n+++ b</boltAction><boltAction type=\"supabase\" operation=\"migration\" filePath=\"/supabase/migrations/x.sql\">```sql\nselect 1 &lt; 2;\n```</boltAction><boltAction type=\"supabase\" operation=\"query\" filePath=\"q.sql\" projectId=\"p\">select 1;</boltAction></boltArtifact>"],
                "",
                vec![
                    open(&t),
                    action(&t, 0, data(Some("edit"), Some("src/a.ts"), "--- a\n+++ b")),
                    action(&t, 1, supabase("migration", Some("/supabase/migrations/x.sql"), "```sql\nselect 1 &lt; 2;\n```")),
                    action(&t, 2, supabase("query", None, "select 1;")),
                    close(&t),
                ],
            ),
            case(
                "the first type=\"…\" wins, diffType included",
                &["<boltArtifact title=\"t\"><boltAction diffType=\"unified\" type=\"edit\" filePath=\"a.ts\">@@</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, data(Some("unified"), Some("a.ts"), "@@")), close(&t)],
            ),
            case(
                "an action without a type",
                &["<boltArtifact title=\"t\"><boltAction filePath=\"a.ts\"> x </boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, data(None, Some("a.ts"), "x")), close(&t)],
            ),
            case(
                "an empty filePath is a file action",
                &["<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"\">x</boltAction></boltArtifact>"],
                "",
                vec![open(&t), action(&t, 0, file("", "x\n")), close(&t)],
            ),
            Case {
                thoughts_as_prose: true,
                ..case(
                    "thoughts as prose: a fake artifact in reasoning is not parsed",
                    &["<div class=\"__boltThought__\">I could write <boltArtifact id=\"f\" title=\"Fake\"><boltAction type=\"file\" filePath=\"fake.ts\">no</boltAction></boltArtifact> here.</div>\nDone <boltArtifact id=\"r\" title=\"Real\"><boltAction type=\"file\" filePath=\"src/App.tsx\">yes</boltAction></boltArtifact>"],
                    "<div class=\"__boltThought__\">I could write <boltArtifact id=\"f\" title=\"Fake\"><boltAction type=\"file\" filePath=\"fake.ts\">no</boltAction></boltArtifact> here.</div>\nDone ",
                    vec![open(&real0), action(&real0, 0, file("src/App.tsx", "yes\n")), close(&real0)],
                )
            },
            case(
                "bolt.diy itself parses the fake artifact in reasoning",
                &["<div class=\"__boltThought__\">I could write <boltArtifact id=\"f\" title=\"Fake\"><boltAction type=\"file\" filePath=\"fake.ts\">no</boltAction></boltArtifact> here.</div>\nDone <boltArtifact id=\"r\" title=\"Real\"><boltAction type=\"file\" filePath=\"src/App.tsx\">yes</boltAction></boltArtifact>"],
                "<div class=\"__boltThought__\">I could write  here.</div>\nDone ",
                vec![
                    open(&fake),
                    action(&fake, 0, file("fake.ts", "no\n")),
                    close(&fake),
                    open(&real1),
                    action(&real1, 1, file("src/App.tsx", "yes\n")),
                    close(&real1),
                ],
            ),
            Case {
                thoughts_as_prose: true,
                ..case(
                    "thoughts as prose: an unclosed reasoning block runs to the end",
                    &["<div class=\"__boltThought__\">a</div><div class=\"__boltThought__\">b <boltArtifact title=\"t\"><boltAction type=\"shell\">rm -rf /</boltAction>"],
                    "<div class=\"__boltThought__\">a</div><div class=\"__boltThought__\">b <boltArtifact title=\"t\"><boltAction type=\"shell\">rm -rf /</boltAction>",
                    vec![],
                )
            },
            Case {
                thoughts_as_prose: true,
                ..case(
                    "thoughts as prose: a partial </div> at the end is held back",
                    &["<div class=\"__boltThought__\">a</di"],
                    "<div class=\"__boltThought__\">a",
                    vec![],
                )
            },
            Case {
                error: Some(ParseError::FileActionWithoutPath),
                split_invariant: false,
                ..case(
                    "a file action without filePath: bolt.diy throws, the call's prose is lost",
                    &["Hi <boltArtifact title=\"t\"><boltAction type=\"shell\">ls</boltAction><boltAction type=\"file\">x</boltAction><boltAction type=\"shell\">pwd</boltAction></boltArtifact>"],
                    "",
                    vec![open(&t), action(&t, 0, shell("ls")), action_open(&t, 1, &data(Some("file"), None, ""))],
                )
            },
            Case {
                error: Some(ParseError::InvalidSupabaseOperation(Some("drop".into()))),
                split_invariant: false,
                ..case(
                    "an unknown Supabase operation throws",
                    &["<boltArtifact title=\"t\"><boltAction type=\"supabase\" operation=\"drop\">x</boltAction></boltArtifact>"],
                    "",
                    vec![open(&t)],
                )
            },
            Case {
                error: Some(ParseError::InvalidSupabaseOperation(None)),
                split_invariant: false,
                ..case(
                    "a Supabase action without operation throws",
                    &["<boltArtifact title=\"t\"><boltAction type=\"supabase\">x</boltAction></boltArtifact>"],
                    "",
                    vec![open(&t)],
                )
            },
            Case {
                error: Some(ParseError::MigrationWithoutPath),
                split_invariant: false,
                ..case(
                    "a migration without filePath throws",
                    &["<boltArtifact title=\"t\"><boltAction type=\"supabase\" operation=\"migration\" filePath=\"\">x</boltAction></boltArtifact>"],
                    "",
                    vec![open(&t)],
                )
            },
            Case {
                split_invariant: false,
                ..case(
                    "a whole quick-actions block becomes buttons",
                    &["Pick: <bolt-quick-actions><bolt-quick-action type=\"message\" message=\"Add auth\">Add auth</bolt-quick-action><bolt-quick-action type=\"file\" path=\"/src/App.tsx\">Open</bolt-quick-action></bolt-quick-actions> done"],
                    "Pick: <div class=\"__boltQuickAction__\" data-bolt-quick-action=\"true\"><button class=\"__boltQuickAction__\" data-bolt-quick-action=\"true\" data-type=\"message\" data-message=\"Add auth\" data-path=\"\" data-href=\"\">Add auth</button><button class=\"__boltQuickAction__\" data-bolt-quick-action=\"true\" data-type=\"file\" data-message=\"\" data-path=\"/src/App.tsx\" data-href=\"\">Open</button></div> done",
                    vec![],
                )
            },
        ]
    }

    fn all_cases() -> Vec<Case> {
        let mut cases = spec_cases();
        cases.extend(added_cases());
        cases
    }

    fn expected(case: &Case) -> Run {
        Run {
            output: case.output.to_owned(),
            events: case.events.clone(),
            error: case.error.clone(),
        }
    }

    #[test]
    fn cases_unsplit() {
        for case in all_cases() {
            let input = case.chunks.concat();
            let got = run([input.as_str()], case.thoughts_as_prose);
            assert_eq!(got, expected(&case), "{}", case.name);
        }
    }

    #[test]
    fn cases_in_the_spec_chunks() {
        for case in all_cases().iter().filter(|case| case.split_invariant) {
            let got = run(case.chunks.iter().copied(), case.thoughts_as_prose);
            assert_eq!(got, expected(case), "{}", case.name);
        }
    }

    #[test]
    fn cases_split_at_every_char_boundary_and_char_by_char() {
        for case in all_cases().iter().filter(|case| case.split_invariant) {
            let input = case.chunks.concat();
            for chunks in chunkings(&input) {
                let got = run(chunks.iter().copied(), case.thoughts_as_prose);
                assert_eq!(got, expected(case), "{} split as {chunks:?}", case.name);
            }
        }
    }

    #[test]
    fn cases_through_parse_message() {
        let cases = all_cases();
        let relevant = cases
            .iter()
            .filter(|case| case.thoughts_as_prose || !case.chunks.concat().contains(THOUGHT_OPEN));
        for case in relevant {
            let actions: Vec<BoltAction> = case
                .events
                .iter()
                .cloned()
                .filter_map(ParserEvent::into_closed_action)
                .collect();
            let want = ParsedMessage {
                actions,
                error: case.error.clone(),
            };
            assert_eq!(parse_message(&case.chunks.concat()), want, "{}", case.name);
        }
    }

    #[test]
    fn parse_actions_table() {
        let home = "/home/project/src/App.tsx";
        let table: Vec<(&str, &str, Vec<BoltAction>)> = vec![
            (
                "file, shell and start",
                "Setting up.\n<boltArtifact id=\"app\" title=\"App\">\n  <boltAction type=\"file\" filePath=\"package.json\">{}</boltAction>\n  <boltAction type=\"shell\">\n    npm install\n  </boltAction>\n  <boltAction type=\"start\">npm run dev</boltAction>\n</boltArtifact>\nDone.",
                vec![
                    BoltAction::File { file_path: "package.json".into(), content: "{}\n".into() },
                    BoltAction::Shell { command: "npm install".into() },
                    BoltAction::Start { command: "npm run dev".into() },
                ],
            ),
            (
                "fenced body, entities, /home/project/ kept",
                "<boltArtifact id=\"a\" title=\"A\"><boltAction type=\"file\" filePath=\"/home/project/src/App.tsx\">```tsx\nconst x = a &lt; b;\n```</boltAction></boltArtifact>",
                vec![BoltAction::File { file_path: home.into(), content: "const x = a < b;\n".into() }],
            ),
            (
                "thought blocks never give actions",
                "<div class=\"__boltThought__\"><boltArtifact title=\"x\"><boltAction type=\"file\" filePath=\"evil.ts\">x</boltAction></boltArtifact></div>\nok",
                vec![],
            ),
            (
                "supabase and edit",
                "<boltArtifact title=\"db\"><boltAction type=\"supabase\" operation=\"migration\" filePath=\"/supabase/migrations/1.sql\">create table t();</boltAction><boltAction type=\"edit\" filePath=\"a.ts\" diffType=\"structured\">…</boltAction></boltArtifact>",
                vec![
                    BoltAction::Supabase {
                        operation: "migration".into(),
                        file_path: Some("/supabase/migrations/1.sql".into()),
                        content: "create table t();".into(),
                    },
                    BoltAction::Other {
                        action_type: "edit".into(),
                        file_path: Some("a.ts".into()),
                        content: "…".into(),
                    },
                ],
            ),
            (
                "the actions before a throw are kept",
                "<boltArtifact title=\"t\"><boltAction type=\"shell\">ls</boltAction><boltAction type=\"file\">x</boltAction><boltAction type=\"shell\">pwd</boltAction></boltArtifact>",
                vec![BoltAction::Shell { command: "ls".into() }],
            ),
        ];
        for (name, message, want) in table {
            assert_eq!(parse_actions(message), want, "{name}");
        }
    }

    #[test]
    fn stream_events_carry_the_cleaned_content_so_far() {
        let mut parser = StreamingParser::new();
        let head = "<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.tsx\">```tsx\nx &lt; y\n";
        let md = "<boltAction type=\"file\" filePath=\"a.md\">```md\n&lt;";
        let calls = [
            head.to_owned(),
            format!("{head}```</boltAction>"),
            format!("{head}```</boltAction>{md}"),
        ];
        let mut streamed = Vec::new();
        for input in &calls {
            parser.parse(MSG, input).unwrap();
            for event in parser.take_events() {
                if let ParserEvent::ActionStream(event) = event {
                    streamed.push((event.action_id, event.action.content));
                }
            }
        }
        assert_eq!(
            streamed,
            vec![
                (0, "```tsx\nx < y\n".to_owned()),
                (1, "```md\n&lt;".to_owned()),
            ]
        );
    }

    #[test]
    fn a_retry_after_an_invalid_supabase_action_closes_a_typeless_action() {
        let t = artifact(0, Some("t"), None);
        let head = "<boltArtifact title=\"t\">";
        let tag = "<boltAction type=\"supabase\" operation=\"nope\">";
        let input = format!("{head}{tag}x</boltAction></boltArtifact>after");
        let mut parser = StreamingParser::new().with_artifact_element(no_element);
        assert_eq!(parser.parse(MSG, head), Ok(String::new()));
        let error = ParseError::InvalidSupabaseOperation(Some("nope".into()));
        assert_eq!(parser.parse(MSG, &input), Err(error));
        // bolt.diy kept `insideAction` but not the position: the tag becomes content.
        assert_eq!(parser.parse(MSG, &input), Ok("after".to_owned()));
        let typeless = data(None, None, &format!("{tag}x"));
        let want = [
            open(&t),
            vec![ParserEvent::ActionClose(action_event(&t, -1, typeless))],
            close(&t),
        ]
        .concat();
        assert_eq!(parser.take_events(), want);
    }

    #[test]
    fn a_file_action_without_path_fails_every_later_call() {
        let mut parser = StreamingParser::new();
        let input =
            "a <boltArtifact title=\"t\"><boltAction type=\"file\">x</boltAction></boltArtifact> b";
        for _ in 0..3 {
            assert_eq!(
                parser.parse(MSG, input),
                Err(ParseError::FileActionWithoutPath)
            );
        }
        let opens = parser
            .take_events()
            .iter()
            .filter(|event| matches!(event, ParserEvent::ActionOpen(_)))
            .count();
        assert_eq!(opens, 1);
    }

    #[test]
    fn a_quick_actions_block_streamed_char_by_char_stays_raw() {
        let input = "<bolt-quick-actions><bolt-quick-action type=\"x\">Go</bolt-quick-action></bolt-quick-actions>";
        let chars = chunkings(input).pop().unwrap_or_default();
        assert_eq!(run(chars, false).output, input);
        assert_ne!(run([input], false).output, input);
    }

    #[test]
    fn the_default_artifact_element_is_bolt_diys() {
        let mut parser = StreamingParser::new();
        let got = parser.parse("m\"1", "a<boltArtifact title=\"t\"></boltArtifact>b");
        assert_eq!(
            got,
            Ok("a<div class=\"__boltArtifact__\" data-message-id=\"m\\\"1\" data-artifact-id=\"m\\\"1-0\"></div>b".to_owned())
        );
    }

    #[test]
    fn messages_are_parsed_apart_and_reset_forgets_them() {
        let mut parser = StreamingParser::new().with_artifact_element(no_element);
        let input = "x<boltArtifact title=\"t\"></boltArtifact>";
        assert_eq!(parser.parse("a", input), Ok("x".to_owned()));
        assert_eq!(parser.parse("b", input), Ok("x".to_owned()));
        assert_eq!(parser.parse("a", input), Ok(String::new()));
        parser.reset();
        assert_eq!(parser.parse("a", input), Ok("x".to_owned()));
        let ids: Vec<String> = parser
            .take_events()
            .into_iter()
            .filter_map(|event| match event {
                ParserEvent::ArtifactOpen(event) => Some(event.artifact.id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["a-0", "b-0", "a-0"]);
    }

    #[test]
    fn a_shorter_or_different_input_does_not_panic() {
        let mut parser = StreamingParser::new();
        assert!(parser.parse(MSG, "hello 👋 world").is_ok());
        assert_eq!(parser.parse(MSG, "hi"), Ok(String::new()));
        assert_eq!(parser.parse(MSG, "ééééééééé!"), Ok("é!".to_owned()));
    }

    #[test]
    fn cleanout_markdown_syntax_table() {
        let table = [
            ("```js\ncode\n```", "code"),
            ("  \n```js\ncode\n```  \n", "code"),
            ("```\nline 1\nline 2\n\n\n```", "line 1\nline 2"),
            ("```\n\n```", ""),
            ("```\n```", "```\n```"),
            ("```js\n```", "```js\n```"),
            ("```c++\ncode\n```", "```c++\ncode\n```"),
            ("```js\ncode```", "```js\ncode```"),
            ("```js\ncode\n```\nmore", "```js\ncode\n```\nmore"),
            ("```js\ncode\n````", "```js\ncode\n````"),
            ("```md\n```js\nx\n```\n```", "```js\nx\n```"),
            ("```js\ncode\n  ```", "code"),
            ("\u{feff}```js\ncode\n```\u{3000}", "code"),
            ("no fence", "no fence"),
            ("", ""),
        ];
        for (input, want) in table {
            assert_eq!(cleanout_markdown_syntax(input), want, "{input:?}");
        }
    }

    #[test]
    fn extract_attribute_table() {
        let table = [
            ("<a title=\"x\">", "title", Some("x")),
            ("<a TiTlE=\"x\">", "title", Some("x")),
            ("<a subtitle=\"s\" title=\"x\">", "title", Some("s")),
            ("<a title=\"\">", "title", Some("")),
            ("<a title='x'>", "title", None),
            ("<a title = \"x\">", "title", None),
            ("<a title=\"x>", "title", None),
            ("<a title=\"é\u{1f680}\">", "title", Some("é\u{1f680}")),
            ("t", "title", None),
        ];
        for (tag, name, want) in table {
            assert_eq!(extract_attribute(tag, name).as_deref(), want, "{tag}");
        }
    }

    #[test]
    fn json_string_matches_json_stringify() {
        assert_eq!(
            json_string("a\"b\\c\n\t\u{1}é"),
            "\"a\\\"b\\\\c\\n\\t\\u0001é\""
        );
    }

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    fn garbage(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "<boltArtifact",
            "</boltArtifact>",
            "<boltAction",
            "</boltAction>",
            " type=\"file\"",
            " type=\"shell\"",
            " type=\"supabase\"",
            " operation=\"query\"",
            " filePath=\"a.md\"",
            " filePath=\"/home/project/x.ts\"",
            " title=\"t\"",
            ">",
            "<",
            "/",
            "\"",
            " ",
            "\n",
            "```",
            "```ts\n",
            "&lt;",
            "&gt;",
            "<bolt-quick-actions>",
            "</bolt-quick-actions>",
            "<bolt-quick-action type=\"x\">",
            "</bolt-quick-action>",
            THOUGHT_OPEN,
            THOUGHT_CLOSE,
            "é",
            "🚀",
            "数据",
            "\u{feff}",
            "\u{85}",
            "x",
            "<b",
            "<bolt",
        ];
        (0..rng.below(40))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect()
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..2000 {
            let message = garbage(&mut rng);
            let _ = parse_message(&message);
            let mut parser = StreamingParser::new().with_thoughts_as_prose(round % 2 == 0);
            let mut end = 0;
            while end < message.len() {
                end = (end + 1 + rng.below(8)).min(message.len());
                while !message.is_char_boundary(end) {
                    end += 1;
                }
                let _ = parser.parse(MSG, &message[..end]);
            }
            let _ = parser.parse(MSG, &garbage(&mut rng));
            let _ = parser.take_events();
        }
    }
}
