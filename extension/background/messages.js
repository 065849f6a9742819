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
