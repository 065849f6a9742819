//! A PostgreSQL database of the founder's own, reached at the URL they give. The core has no
//! sockets: the CLI connects and drives [`crate::sql::Migrator`] over the connection itself, so
//! this row only names the destination for the registry and the catalog.

use super::{Database, DestinationSpec, Kind};

/// PostgreSQL's row of the registry.
pub const SPEC: DestinationSpec = DestinationSpec {
    id: "postgres",
    display: "PostgreSQL",
    word: "database",
    token_var: "PGPASSWORD",
    token_help: "The password of the database's user, when the URL does not hold it.",
    origins: &[],
    names: None,
    kind: Kind::Database(Database { apply: None }),
};
