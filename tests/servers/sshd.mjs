// A real OpenSSH server (Debian's openssh-server) for the SSH deployment tests: started on a
// loopback port with a throw-away host key and a throw-away user key, for the user running the
// tests, with an ssh client configuration that checks the host key against a known_hosts file
// holding exactly that key (host-key checking is never turned off). Public-key auth only.
//
//   const server = await startSshd();
//   // LIFTOFF_SSH_COMMAND=server.sshCommand liftoff deploy --to `ssh://${server.user}@127.0.0.1:${server.port}/srv/app`
//   await server.close();
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import { freePort } from './process.mjs';

const SSHD = '/usr/sbin/sshd';

/** Whether Debian's openssh-server is installed here. */
export const hasSshd = () => existsSync(SSHD);

/** Starts sshd; resolves {port, user, dir, sshCommand, close()}. */
export async function startSshd() {
  const dir = mkdtempSync(join(tmpdir(), 'liftoff-sshd-'));
  const key = (name) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(dir, name)]);
  key('host_key');
  key('user_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  const user = userInfo().username;
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      '',
    ].join('\n'),
  );
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      'Host 127.0.0.1',
      `  IdentityFile ${join(dir, 'user_key')}`,
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '  IdentitiesOnly yes',
      '  GlobalKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  // sshd wants its privilege-separation folder.
  if (!existsSync('/run/sshd')) {
    try {
      mkdirSync('/run/sshd', { recursive: true });
    } catch {
      // not root: sshd runs without privilege separation for its own user
    }
  }
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const sshCommand = `ssh -F ${join(dir, 'ssh_config')}`;
  // Ready when a command runs through it.
  for (let i = 0; ; i++) {
    try {
      execFileSync('ssh', ['-F', join(dir, 'ssh_config'), '-p', String(port), '-o', 'BatchMode=yes', `${user}@127.0.0.1`, 'true'], { stdio: 'pipe' });
      break;
    } catch (error) {
      if (i > 50 || child.exitCode !== null) {
        child.kill();
        throw new Error(`sshd did not start: ${log}${error.stderr ?? ''}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    user,
    dir,
    sshCommand,
    log: () => log,
    async close() {
      child.kill();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
