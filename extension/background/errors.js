// Errors meant for the user: their message is a full sentence the popup shows as is.
export class UserError extends Error {
  name = 'UserError';
}

/**
 * A sentence for the popup from any error. UserErrors and the core's own errors (plain Errors
 * thrown by the wasm, written for users) pass through; anything else becomes a generic sentence
 * with its error name only, so that nothing from the page leaks into the popup or the logs.
 */
export function sentenceFor(error, fallback) {
  if (error instanceof UserError) return error.message;
  if (error instanceof Error && error.name === 'Error' && error.message) return error.message;
  if (typeof error === 'string' && error) return error; // wasm-bindgen may throw a bare string
  return `${fallback} (${error?.name ?? 'unknown error'}).`;
}
