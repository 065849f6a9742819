//! [`Base44AppExport`]: the whole of a Base44 app in one conversation, as the browser exports
//! it: the source through the eject endpoint, then (when the source declares entities) every
//! row through the SDK's list call, written as `supabase/seed.sql`. The rows are a bonus: when
//! they cannot be read the source still comes out, with a warning that says why.

use crate::capture::{Capture, CaptureError};
use crate::edit::Edits;
use crate::net::{Conversation, Outcome, Outgoing, Phase, Progress, RequestId};
use crate::text::count;

use super::eject::{Base44Config, Base44Eject};
use super::rows::{Base44Rows, RowsConfig};
use super::schema::schema_of_tree;
use super::seed::add_seed;

enum Step {
    Eject(Base44Eject),
    Rows(Box<Capture>, Base44Rows),
    Done(Result<Capture, CaptureError>),
}

/// Eject, then rows (see the module documentation).
pub struct Base44AppExport {
    app_id: String,
    token: String,
    api: String,
    step: Step,
    /// The source's files, once ejected.
    files: u64,
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
            step: Step::Eject(Base44Eject::new(config)?),
            files: 0,
        })
    }

    /// After the eject: the rows conversation when the source declares entities.
    fn after_eject(&mut self, result: Result<Capture, CaptureError>) -> Step {
        let capture = match result {
            Ok(capture) => capture,
            Err(e) => return Step::Done(Err(e)),
        };
        self.files = capture.tree.len() as u64;
        let (schema, _) = schema_of_tree(&capture.tree);
        let entities: Vec<String> = schema.tables.iter().map(|t| t.entity.clone()).collect();
        if entities.is_empty() {
            return Step::Done(Ok(capture));
        }
        let mut config = RowsConfig::new(&self.app_id, &self.token, entities);
        config.api.clone_from(&self.api);
        match Base44Rows::new(config) {
            Ok(rows) => Step::Rows(Box::new(capture), rows),
            Err(e) => Step::Done(Ok(with_warning(capture, &e.to_string()))),
        }
    }

    /// Moves on when the running step has finished.
    fn advance(&mut self) {
        loop {
            let finished = match &self.step {
                Step::Eject(m) => m.is_finished(),
                Step::Rows(_, m) => m.is_finished(),
                Step::Done(_) => return,
            };
            if !finished {
                return;
            }
            let placeholder = Step::Done(Err(CaptureError::Empty {
                name: String::new(),
            }));
            let step = std::mem::replace(&mut self.step, placeholder);
            self.step = match step {
                Step::Eject(m) => self.after_eject(m.finish()),
                Step::Rows(capture, m) => Step::Done(Ok(with_rows(*capture, m.finish()))),
                done @ Step::Done(_) => done,
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
                "read {} of {} from Base44{}",
                count(read as u64, "row", "rows"),
                count(rows.len() as u64, "entity", "entities"),
                match seed.unmapped.len() {
                    0 => String::new(),
                    1 => "; 1 did not fit its table and goes whole into liftoff_unmapped_rows"
                        .into(),
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
        let out = match &mut self.step {
            Step::Eject(m) => m.poll_transmit(now_ms),
            Step::Rows(_, m) => m.poll_transmit(now_ms),
            Step::Done(_) => Vec::new(),
        };
        self.advance();
        out
    }

    fn handle(&mut self, id: RequestId, outcome: Outcome, now_ms: u64) {
        match &mut self.step {
            Step::Eject(m) => m.handle(id, outcome, now_ms),
            Step::Rows(_, m) => m.handle(id, outcome, now_ms),
            Step::Done(_) => {}
        }
        self.advance();
    }

    fn next_wakeup(&self) -> Option<u64> {
        match &self.step {
            Step::Eject(m) => m.next_wakeup(),
            Step::Rows(_, m) => m.next_wakeup(),
            Step::Done(_) => None,
        }
    }

    /// Files: none known during the eject (one answer brings them all), then all of them.
    fn progress(&self) -> Progress {
        Progress {
            done: self.files,
            total: self.files,
        }
    }

    fn phase(&self) -> Option<Phase> {
        match self.step {
            Step::Eject(_) => Some(Phase::Download),
            Step::Rows(..) => Some(Phase::Data),
            Step::Done(_) => None,
        }
    }

    fn is_finished(&self) -> bool {
        matches!(self.step, Step::Done(_))
    }

    fn finish(self) -> Self::Output {
        match self.step {
            Step::Done(result) => result,
            _ => Err(CaptureError::Empty { name: self.app_id }),
        }
    }
}

#[cfg(test)]
mod tests;
