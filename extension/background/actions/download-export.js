// "Export": an export's zip saved as a download, recorded in History, and described for the
// popup or the drop page.
import { recordHistory } from '../store/history.js';
import { skippedFiles, summarize } from '../wording/summary.js';
import { safeFileName, saveZip } from './download.js';

/**
 * Saves an export ({name, fileName, zip or files, report, sql, raw}) as a download and describes
 * it (protocol.js, Done without its type): {fileName, size, saved, files, builder, builderName,
 * skipped, summary, sql}. An export that came as its files is zipped by zip.workers workers
 * (zip-choice.js). progress({phase: 'saving'}) first.
 */
export async function downloadExport(result, progress, zip = {}) {
  progress({ phase: 'saving' });
  const sql = result.sql ?? [];
  const fileName = safeFileName(result.fileName);
  const source = result.files ? { files: result.files, workers: zip.workers, fast: zip.fast } : { bytes: result.zip };
  const { state, size } = await saveZip(source, fileName);
  await recordHistory({ kind: 'export', target: 'download', project: result.name, file: fileName, state: state === 'complete' ? 'saved' : 'started' });
  const summary = await summarize(result.report, result.raw);
  return {
    fileName,
    size,
    saved: state === 'complete',
    files: result.report?.files ?? null,
    builder: result.report?.builder ?? null,
    builderName: summary.builderName,
    skipped: skippedFiles(result.report),
    summary,
    sql,
  };
}
