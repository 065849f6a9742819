//! What a portable project needs to build and ship without the builder, added only where
//! missing: `.gitignore`, `.nvmrc`, a README, a CI workflow, Vercel and Netlify settings for
//! single-page apps, and a Dockerfile.

use serde_json::Value;

use crate::builders;
use crate::edit::Edits;
use crate::report::Builder;

/// The Node line the scaffold pins when `package.json` names none: the LTS line every current
/// tool (Vite 7, Next 15) supports.
const NODE_LTS: &str = "24";

/// What the scaffold needs to know about the project.
struct Project {
    name: String,
    builder: Builder,
    /// `dist` for Vite apps; `None` when the output is not a static folder.
    static_output: Option<&'static str>,
    has_build_script: bool,
    has_lockfile: bool,
    node: String,
    env: Vec<String>,
}

impl Project {
    fn read(edits: &Edits<'_>) -> Self {
        let manifest: Value = edits
            .text("package.json")
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        let framework = edits.report.framework.as_str();
        let static_output =
            (framework == "vite" || framework.starts_with("vite-")).then_some("dist");
        Self {
            name: edits.name.to_string(),
            builder: edits.report.builder,
            static_output,
            has_build_script: manifest.pointer("/scripts/build").is_some(),
            has_lockfile: edits.has("package-lock.json"),
            node: node_version(&manifest),
            env: edits.report.env.iter().map(|e| e.name.clone()).collect(),
        }
    }

    fn install(&self) -> &'static str {
        if self.has_lockfile {
            "npm ci"
        } else {
            "npm install"
        }
    }
}

/// The major version `engines.node` asks for (`>=18.0.0` → `18`), or the LTS line.
fn node_version(manifest: &Value) -> String {
    manifest
        .pointer("/engines/node")
        .and_then(Value::as_str)
        .and_then(|range| {
            let digits: String = range
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then_some(digits)
        })
        .unwrap_or_else(|| NODE_LTS.into())
}

/// Adds whatever of the scaffold is missing.
pub fn scaffold(edits: &mut Edits<'_>) {
    if !edits.has("package.json") {
        // Not an npm project: nothing here would build it.
        ensure_gitignore(edits);
        return;
    }
    let project = Project::read(edits);
    ensure_gitignore(edits);
    edits.add_if_missing(
        ".nvmrc",
        format!("{}\n", project.node).into_bytes(),
        "pins the Node version for local work, CI and hosts",
    );
    write_readme(edits, &project);
    if project.has_build_script {
        edits.add_if_missing(
            ".github/workflows/build.yml",
            workflow(&project).into_bytes(),
            "GitHub Actions builds every push with npm alone",
        );
    }
    if let Some(output) = project.static_output {
        edits.add_if_missing(
            "vercel.json",
            VERCEL_SPA.as_bytes().to_vec(),
            "single-page app: Vercel serves index.html for every route",
        );
        edits.add_if_missing(
            "netlify.toml",
            netlify(output).into_bytes(),
            "single-page app: Netlify builds it and serves index.html for every route",
        );
        edits.add_if_missing(
            "Dockerfile",
            dockerfile(&project, output).into_bytes(),
            "builds with Node and serves the static output with nginx",
        );
        edits.add_if_missing(
            ".dockerignore",
            b"node_modules\ndist\n.git\n".to_vec(),
            "keeps dependencies and build output out of the Docker context",
        );
    }
}

/// Entries every exported project must ignore: dependencies, build output, local secrets.
const IGNORED: &[(&str, &str)] = &[
    ("node_modules", "dependencies"),
    ("dist", "build output"),
    (".env", "local environment values: never commit them"),
];

fn ensure_gitignore(edits: &mut Edits<'_>) {
    let Some(existing) = edits.text(".gitignore") else {
        let mut text = String::new();
        for (entry, why) in IGNORED {
            text.push_str(&format!("# {why}\n{entry}\n"));
        }
        text.push_str(".env.local\n.env.*.local\n");
        edits.add_if_missing(
            ".gitignore",
            text.into_bytes(),
            "ignores dependencies, build output and .env",
        );
        return;
    };
    let present = |entry: &str| {
        existing.lines().any(|line| {
            let l = line.trim().trim_start_matches('/').trim_end_matches('/');
            l == entry || (entry == ".env" && (l == ".env*" || l == "*.env"))
        })
    };
    let missing: Vec<&str> = IGNORED
        .iter()
        .map(|(entry, _)| *entry)
        .filter(|e| !present(e))
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("\n# added by Liftoff\n");
    for entry in &missing {
        text.push_str(entry);
        text.push('\n');
    }
    edits.set_text(
        ".gitignore",
        text,
        &format!("now ignores {}", missing.join(", ")),
    );
}

/// Adds a README when there is none, and replaces a builder's own (it explains how to edit
/// in the builder, not how to run the project).
fn write_readme(edits: &mut Edits<'_>, project: &Project) {
    let builder_readme = edits.text("README.md").is_some_and(|t| {
        t.starts_with("# Welcome to your Lovable project")
            || t.contains("This app was created automatically by Base44")
    });
    let text = readme(project);
    if builder_readme {
        edits.set_text(
            "README.md",
            text,
            "the builder's README explained its editor; this one says how to run, build and deploy",
        );
    } else {
        edits.add_if_missing(
            "README.md",
            text.into_bytes(),
            "how to run, build and deploy the project",
        );
    }
}

fn readme(p: &Project) -> String {
    let from = builders::display_name(p.builder)
        .map(|name| format!(" from {name}"))
        .unwrap_or_default();
    let mut out = format!(
        "# {name}\n\nExported{from} with Liftoff: it builds with npm alone. `LIFTOFF.md` lists \
         what was changed and what is left to do.\n\n## Run it\n\n```sh\n{install}\n",
        name = p.name,
        install = p.install()
    );
    if !p.env.is_empty() {
        out.push_str("cp .env.example .env   # then fill in the values\n");
    }
    out.push_str("npm run dev\n```\n\n");
    if p.has_build_script {
        let output = p
            .static_output
            .map(|o| format!(" (into `{o}/`)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "## Build it\n\n```sh\nnpm run build\n```\n\nbuilds the app{output}.\n\n"
        ));
    }
    out.push_str("## Deploy it\n\n");
    if p.static_output.is_some() {
        out.push_str(
            "- **Vercel**: import the repository; `vercel.json` serves `index.html` for every route.\n\
             - **Netlify**: import the repository; `netlify.toml` holds the build command and the same rewrite.\n\
             - **Docker**: `docker build -t app . && docker run -p 8080:80 app`.\n",
        );
    } else {
        out.push_str("- Any Node host: run the build, then the start script.\n");
    }
    if !p.env.is_empty() {
        out.push_str("\nSet these environment variables on the host before it builds (Vite writes them into the bundle):\n\n");
        for name in &p.env {
            out.push_str(&format!("- `{name}`\n"));
        }
    }
    out
}

fn workflow(p: &Project) -> String {
    let cache = if p.has_lockfile {
        "\n          cache: npm"
    } else {
        ""
    };
    let mut env = String::new();
    if !p.env.is_empty() {
        env.push_str("        env:\n");
        for name in &p.env {
            env.push_str(&format!("          {name}: ${{{{ vars.{name} }}}}\n"));
        }
    }
    format!(
        "name: build\n\non:\n  push:\n  pull_request:\n\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          \
         node-version-file: .nvmrc{cache}\n      - run: {install}\n      - run: npm run build\n{env}",
        install = p.install()
    )
}

const VERCEL_SPA: &str =
    "{\n  \"rewrites\": [{ \"source\": \"/(.*)\", \"destination\": \"/index.html\" }]\n}\n";

fn netlify(output: &str) -> String {
    format!(
        "[build]\n  command = \"npm run build\"\n  publish = \"{output}\"\n\n[[redirects]]\n  from = \"/*\"\n  to = \"/index.html\"\n  status = 200\n"
    )
}

fn dockerfile(p: &Project, output: &str) -> String {
    let copy = if p.has_lockfile {
        "package.json package-lock.json"
    } else {
        "package.json"
    };
    format!(
        "# Build with Node, then serve the static output with nginx.\n\
         FROM node:{node}-alpine AS build\nWORKDIR /app\nCOPY {copy} ./\nRUN {install}\nCOPY . .\nRUN npm run build\n\n\
         FROM nginx:1.27-alpine\nCOPY --from=build /app/{output} /usr/share/nginx/html\n\
         # A single-page app: every route falls back to index.html.\n\
         RUN printf 'server {{\\n  listen 80;\\n  root /usr/share/nginx/html;\\n  location / {{ try_files $uri /index.html; }}\\n}}\\n' > /etc/nginx/conf.d/default.conf\n\
         EXPOSE 80\n",
        node = p.node,
        install = p.install()
    )
}

#[cfg(test)]
mod tests;
