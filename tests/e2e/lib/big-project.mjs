// A Bolt history whose one binary file is large enough that the dump (base64 in JSON) exceeds
// the 64 MiB cap of a single extension message: proves capture and download never rely on one.
import { createHash, randomBytes } from 'node:crypto';

export const BIG_URL_ID = 'big-project';
const BIG_PATH = 'public/intro.mp4';
const PACKAGE_JSON = '{\n  "name": "big-project",\n  "private": true\n}\n';

/** {json: history text, files: {path: sha256 hex}} for a binary of `size` random bytes. */
export function makeBigHistory(size) {
  const video = randomBytes(size); // incompressible, so the zip is as large as the file
  const history = {
    chats: [
      {
        id: '9',
        urlId: BIG_URL_ID,
        description: 'Big Project',
        timestamp: '2025-04-01T12:00:00.000Z',
        messages: [
          { id: 'bg1UsrA', role: 'user', content: 'A landing page with an intro video.' },
          { id: 'bg2AstB', role: 'assistant', content: 'Added the video to the landing page.' },
        ],
      },
    ],
    snapshots: [
      {
        chatId: '9',
        snapshot: {
          chatIndex: 'bg2AstB',
          files: {
            '/home/project/package.json': { type: 'file', content: PACKAGE_JSON, isBinary: false },
            '/home/project/public': { type: 'folder' },
            [`/home/project/${BIG_PATH}`]: { type: 'file', content: video.toString('base64'), isBinary: true },
          },
        },
      },
    ],
  };
  const sha256 = (data) => createHash('sha256').update(data).digest('hex');
  return {
    json: JSON.stringify(history),
    files: { 'package.json': sha256(PACKAGE_JSON), [BIG_PATH]: sha256(video) },
  };
}
