// Sentences the popup and the drop page show. Kept together so the wording stays consistent.
export const NOT_REACHABLE =
  'No Bolt, Lovable or Base44 project is open in this tab. Open one (reload the tab if it was open before Liftoff was installed) and try again, or export a zip you downloaded.';
export const BOLT_NO_PROJECT =
  'This page holds no Bolt project that Liftoff can read. Download the project from Bolt, then drop the zip here.';
export const LOVABLE_NO_PROJECT = 'Open a Lovable project (lovable.dev/projects/…) in this tab and try again.';
export const LOVABLE_SIGNED_OUT = 'Sign in to Lovable in this tab, then try again.';
export const BASE44_NO_APP = 'Open your app in the Base44 editor (app.base44.com/apps/…) in this tab and try again.';
export const BASE44_SIGNED_OUT = 'Sign in to Base44 in this tab, then try again.';
export const BUILDER_NAMES = { bolt: 'Bolt', lovable: 'Lovable', base44: 'Base44' };

/**
 * The sentence for an error the core threw with a stable `code`, worded for the person who must
 * act. builder: 'bolt' | 'lovable' | 'base44' | null (a dropped file: the builder is not known
 * until the file is read). status: the HTTP status of an 'http-error', when known. Unknown codes
 * give null (the caller falls back to the core's own sentence).
 */
export function sentenceForCode(code, builder, status) {
  const name = BUILDER_NAMES[builder] ?? 'The builder';
  const at = BUILDER_NAMES[builder] ?? 'the builder';
  switch (code) {
    case 'bad-token':
      return `Sign in to ${at} again in this tab, then export.`;
    case 'forbidden':
      return `${name} does not let the account signed in here export this project. Sign in with the account that owns it, then export.`;
    case 'not-found':
      return `${name} could not find this project for the account signed in here. Check that this tab shows your project, then export again.`;
    case 'redirected':
      return `${name} sent the request somewhere else, and Liftoff never follows a redirect with your session. Reload the tab, then export again.`;
    case 'unreachable':
      return `Liftoff could not reach ${at}. Check your connection, then export again.`;
    case 'http-error':
      return `${name} answered with an error${status ? ` (HTTP ${status})` : ''}. Try again in a few minutes.`;
    case 'malformed':
      return `${name} sent an answer Liftoff could not read. Try again in a few minutes; if it keeps happening, download the project from ${at} and export the zip on the drop page.`;
    case 'too-large':
      return 'This project is larger than Liftoff can export (too many files, or more than 256 MiB unpacked).';
    case 'bad-archive':
      return 'This file is damaged, or is not a zip, tar or tar.gz. Download the project again, then export the new file.';
    case 'unknown-input':
      return 'This file is not a project Liftoff can read. Export the .zip, .tar or .tar.gz the builder let you download.';
    case 'empty':
      return 'There are no files to export in this project yet.';
    case 'unknown-chat':
      return 'This chat is not in the Bolt history of this browser. Open it from your chat list on bolt.new, or download the project from Bolt and drop the zip here.';
    case 'bad-history':
      return "Bolt's saved history in this browser could not be read. Download the project from Bolt, then drop the zip here.";
    case 'bad-id':
      return `The address of this tab does not hold a valid project id. Open the project in the ${at} editor, then export.`;
    default:
      return null;
  }
}
