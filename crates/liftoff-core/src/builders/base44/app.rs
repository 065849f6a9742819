//! [`Base44AppExport`]: the whole of a Base44 app in one conversation, as the browser exports
//! it: the source through the eject endpoint, then (when the source declares entities) every
//! row through the SDK's list call, written as `supabase/seed.sql`. The rows are a bonus: when
//! they cannot be read the source still comes out, with a warning that says why.

use crate::capture::{Capture, CaptureError};
use crate::edit::Edits;
use crate::net::{Conversation, Outcome, Outgoing, Progress, RequestId};

use super::eject::{Base44Config, Base44Eject};
use super::rows::{Base44Rows, RowsConfig};
use super::schema::schema_of_tree;
use super::seed::add_seed;

enum Phase {
    Eject(Base44Eject),
    Rows(Box<Capture>, Base44Rows),
    Done(Result<Capture, CaptureError>),
}

/// Eject, then rows (see the module documentation).
pub struct Base44AppExport {
    app_id: String,
    token: String,
    api: String,
    phase: Phase,
    /// Steps of the phases already over, so progress never goes backwards.
    done_before: u64,
}

impl Base44AppExport {
    /// Starts with the eject; `config.api` serves the rows too.
    pub fn new(config: Base44Config) -> Result<Self, CaptureError> {
        let app_id = config.app_id.clone();
        let token = config.token.clone();
        let api = config.api.clone();
        Ok(Self {
            app_id,
            token,
            api,
            phase: Phase::Eject(Base44Eject::new(config)?),
            done_before: 0,
        })
    }

    /// After the eject: the rows conversation when the source declares entities.
    fn after_eject(&mut self, result: Result<Capture, CaptureError>) -> Phase {
        let capture = match result {
            Ok(capture) => capture,
            Err(e) => return Phase::Done(Err(e)),
        };
        let (schema, _) = schema_of_tree(&capture.tree);
        let entities: Vec<String> = schema.tables.iter().map(|t| t.entity.clone()).collect();
        if entities.is_empty() {
            return Phase::Done(Ok(capture));
        }
        let mut config = RowsConfig::new(&self.app_id, &self.token, entities);
        config.api.clone_from(&self.api);
        match Base44Rows::new(config) {
            Ok(rows) => Phase::Rows(Box::new(capture), rows),
            Err(e) => Phase::Done(Ok(with_warning(capture, &e.to_string()))),
        }
    }

    /// Moves on when the running phase has finished.
    fn advance(&mut self) {
        loop {
            let finished = match &self.phase {
                Phase::Eject(m) => m.is_finished(),
                Phase::Rows(_, m) => m.is_finished(),
                Phase::Done(_) => return,
            };
            if !finished {
                return;
            }
            let placeholder = Phase::Done(Err(CaptureError::Empty {
                name: String::new(),
            }));
            let phase = std::mem::replace(&mut self.phase, placeholder);
            self.phase = match phase {
                Phase::Eject(m) => {
                    self.done_before += m.progress().total;
                    self.after_eject(m.finish())
                }
                Phase::Rows(capture, m) => {
                    self.done_before += m.progress().total;
                    Phase::Done(Ok(with_rows(*capture, m.finish())))
                }
                done @ Phase::Done(_) => done,
            };
        }
    }
}

/// The capture with the rows as `supabase/seed.sql`, or a warning when they could not be read.
fn with_rows(
    mut capture: Capture,
    rows: Result<Vec<super::seed::EntityRows>, super::rows::RowsError>,
) -> Capture {
    match rows {
        Ok(rows) => {
            let mut edits = Edits::new(&mut capture.tree, &mut capture.report, &capture.name);
            let seed = add_seed(&mut edits, &rows);
            let read: usize = rows.iter().map(|e| e.rows.len()).sum();
            capture.notes.push(format!(
                "read {read} rows of {} entities from Base44{}",
                rows.len(),
                match seed.unmapped.len() {
                    0 => String::new(),
                    n => format!(
                        "; {n} did not fit their table and go whole into liftoff_unmapped_rows"
                    ),
                }
            ));
            capture
        }
        Err(e) => with_warning(capture, &e.to_string()),
    }
}

/// The capture without rows: the one rule (see `super::fetch`), a warning in the report and a
/// note the front end shows at once.
fn with_warning(mut capture: Capture, why: &str) -> Capture {
    let warning =
        format!("the app's rows could not be read, so the export has no supabase/seed.sql: {why}");
    capture.notes.push(format!("warning: {warning}"));
    capture.report.warnings.push(warning);
    capture
}

impl Conversation for Base44AppExport {
    type Output = Result<Capture, CaptureError>;

    fn poll_transmit(&mut self, now_ms: u64) -> Vec<Outgoing> {
        let out = match &mut self.phase {
            Phase::Eject(m) => m.poll_transmit(now_ms),
            Phase::Rows(_, m) => m.poll_transmit(now_ms),
            Phase::Done(_) => Vec::new(),
        };
        self.advance();
        out
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        match &mut self.phase {
            Phase::Eject(m) => m.handle(id, outcome, now_ms),
            Phase::Rows(_, m) => m.handle(id, outcome, now_ms),
            Phase::Done(_) => {}
        }
        self.advance();
    }

    fn next_wakeup(&self) -> Option<u64> {
        match &self.phase {
            Phase::Eject(m) => m.next_wakeup(),
            Phase::Rows(_, m) => m.next_wakeup(),
            Phase::Done(_) => None,
        }
    }

    fn progress(&self) -> Progress {
        let current = match &self.phase {
            Phase::Eject(m) => m.progress(),
            Phase::Rows(_, m) => m.progress(),
            Phase::Done(_) => Progress::default(),
        };
        // The rows' total is unknown until they are read: count one step for them ahead.
        let ahead = u64::from(matches!(self.phase, Phase::Eject(_)));
        Progress {
            done: self.done_before + current.done,
            total: self.done_before + current.total + ahead,
        }
    }

    fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Done(_))
    }

    fn finish(self) -> Self::Output {
        match self.phase {
            Phase::Done(result) => result,
            _ => Err(CaptureError::Empty { name: self.app_id }),
        }
    }
}

#[cfg(test)]
mod tests;
