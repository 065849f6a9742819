// The options page's port (protocol.js, OPTIONS_PORT): the page hands a token over (GitHub,
// Vercel with its optional team id, Netlify, Supabase) and is answered whether one is set, never
// with the token itself. Requests and answers: protocol.js, TokenRequest, TokenStatus and
// TokenError.
import { SERVICES, forgetToken, rememberToken, saveToken, tokenStatus } from '../store/tokens.js';
import { UserError } from '../wording/errors.js';
import { portPoster } from './post.js';

/** Serves one options page's port. */
export function attachOptions(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    const service = message?.service ?? 'github';
    if (!Object.hasOwn(SERVICES, service)) return;
    handle(service, message)
      .then((saved) => tokenStatus(service).then((status) => post({ type: 'token-status', service, ...status, saved })))
      .catch((error) => {
        // Our own sentence, or the storage error's name: never the message, which could hold
        // what was pasted.
        const sentence = error instanceof UserError ? error.message : `The token could not be stored (${error?.name ?? 'error'}).`;
        post({ type: 'token-error', service, message: sentence });
        console.warn('Liftoff token setting failed:', error instanceof UserError ? 'refused' : error?.name);
      });
  });
}

async function handle(service, message) {
  switch (message?.type) {
    case 'token-status':
      return undefined;
    case 'save-token':
      await saveToken(service, message.token, message.remember === true, { team: message.team });
      return 'saved';
    case 'remember-token':
      await rememberToken(service, message.remember === true);
      return 'moved';
    case 'forget-token':
      await forgetToken(service);
      return 'forgotten';
    default:
      throw new UserError('Liftoff did not understand the settings page. Reload it.');
  }
}
