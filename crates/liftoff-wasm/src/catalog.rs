//! The registries as the extension shows them, so no name or rule is copied into JavaScript.
//! Each module carries the registry it already links and only that one: the export module the
//! builders (`catalog` gives `{builders}`; `defaultCommitMessage`), the remote module the
//! destinations (`catalog` gives `{destinations}`; `nameProblem`, `suggestName`). A registry row
//! holds its conversations' entry points, so touching the other registry would link all of its
//! code into a module that never runs it. The service worker merges the two.

#[cfg(feature = "export")]
mod builders {
    use liftoff_core::builders;
    use liftoff_core::catalog::{builder_entries, BuilderEntry};
    use liftoff_core::destinations::github::default_message;
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use crate::to_js;

    #[derive(Serialize)]
    struct Catalog {
        builders: Vec<BuilderEntry>,
    }

    /// `{builders: [{id, name, word, address, hosts, fetched}]}`.
    #[wasm_bindgen(js_name = catalog)]
    pub fn builder_catalog() -> Result<JsValue, JsError> {
        to_js(&Catalog {
            builders: builder_entries(),
        })
    }

    /// The commit message a push uses unless the person writes one, for the popup to prefill:
    /// `Export from Bolt (Liftoff), 2026-11-24 13:05 UTC` (`builder`: a catalog id).
    #[wasm_bindgen(js_name = defaultCommitMessage)]
    pub fn default_commit_message(builder: &str, now_ms: f64) -> String {
        let name = builders::by_id(builder).map(|s| s.display);
        default_message(name, (now_ms / 1000.0) as i64)
    }
}

#[cfg(feature = "remote")]
mod destinations {
    use liftoff_core::catalog::{self, destination_entries, DestinationEntry};
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use crate::to_js;

    #[derive(Serialize)]
    struct Catalog {
        destinations: Vec<DestinationEntry>,
    }

    /// `{destinations: [{id, name, kind, word, label, suggests, tokenVar, tokenHelp, teams, selfManaged, followsChecks, origins}]}`.
    #[wasm_bindgen(js_name = catalog)]
    pub fn destination_catalog() -> Result<JsValue, JsError> {
        to_js(&Catalog {
            destinations: destination_entries(),
        })
    }

    /// Why `name` cannot be destination `destination`'s name, as a sentence; `undefined` when
    /// it can.
    #[wasm_bindgen(js_name = nameProblem)]
    pub fn name_problem(destination: &str, name: &str) -> Option<String> {
        catalog::name_problem(destination, name)
    }

    /// A name destination `destination` accepts, made from a project's name; `undefined` when
    /// the destination's names are not made up by the person.
    #[wasm_bindgen(js_name = suggestName)]
    pub fn suggest_name(destination: &str, text: &str) -> Option<String> {
        catalog::suggest_name(destination, text)
    }
}

#[cfg(feature = "export")]
pub use builders::*;
#[cfg(feature = "remote")]
pub use destinations::*;
