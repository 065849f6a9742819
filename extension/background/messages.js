// Sentences the popup shows. Kept together so the wording stays consistent.
export const NO_PROJECT =
  'No Bolt project is open in this tab. Open a project on bolt.new and try again.';
export const NOT_REACHABLE =
  'No Bolt project is open in this tab. Open a project on bolt.new (reload the tab if it is already open) and try again.';
