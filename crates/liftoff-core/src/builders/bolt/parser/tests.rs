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
    let head =
        "<boltArtifact title=\"t\"><boltAction type=\"file\" filePath=\"a.tsx\">```tsx\nx &lt; y\n";
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
