// The options page's port: the page hands a GitHub token over and is answered whether one is
// set, never with the token itself. Requests:
//   {type: 'token-status'}
//   {type: 'save-token', token, remember}
//   {type: 'remember-token', remember}   move a stored token to the other storage
//   {type: 'forget-token'}
// Answers: {type: 'token-status', set, remembered, saved?: 'saved' | 'moved' | 'forgotten'} or
// {type: 'token-error', message}.
import { UserError } from './errors.js';
import { forgetToken, rememberToken, saveToken, tokenStatus } from './github-token.js';
import { portPoster } from './ports.js';

export function attachOptions(port) {
  const post = portPoster(port);
  port.onMessage.addListener((message) => {
    handle(message)
      .then((saved) => tokenStatus().then((status) => post({ type: 'token-status', ...status, saved })))
      .catch((error) => {
        // Our own sentence, or the storage error's name: never the message, which could hold
        // what was pasted.
        const message = error instanceof UserError ? error.message : `The token could not be stored (${error?.name ?? 'error'}).`;
        post({ type: 'token-error', message });
        console.warn('Liftoff token setting failed:', error instanceof UserError ? 'refused' : error?.name);
      });
  });
}

async function handle(message) {
  switch (message?.type) {
    case 'token-status':
      return undefined;
    case 'save-token':
      await saveToken(message.token, message.remember === true);
      return 'saved';
    case 'remember-token':
      await rememberToken(message.remember === true);
      return 'moved';
    case 'forget-token':
      await forgetToken();
      return 'forgotten';
    default:
      throw new UserError('Liftoff did not understand the settings page. Reload it.');
  }
}
