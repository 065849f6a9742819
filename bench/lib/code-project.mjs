import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The code-like project generator the push and deploy benchmarks share: a seeded generator
// (mulberry32) and TypeScript/React-looking text built from a fixed word list, so both
// benchmarks measure the same kind of source, the same bytes for the same seed.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = (
  'account action active address admin alert amount api app area asset auth avatar badge balance ' +
  'banner billing board body border button cache card cart category chart checkout client color ' +
  'column comment config contact content context count coupon create customer dashboard data date ' +
  'delete detail dialog display document draft edit email entry error event export feature field ' +
  'file filter footer form frame gallery grid group header health hero history home icon image ' +
  'index input invoice item label layout list loader locale login logo member menu message modal ' +
  'notice order owner page panel payment plan post preview price product profile project query ' +
  'record report request result review role route row schema search section session setting share ' +
  'sidebar signup size slot source stat status step store style summary table tag task team theme ' +
  'ticket title toast token tooltip total track user value vendor view widget workspace'
).split(' ');

/**
 * The helpers of one generation from `seed`, all drawing from one random sequence in call order:
 * {rng, int(lo, hi), pick(list), cap(word), ident(), areas, text(size, i)}.
 */
export function codeGenerator(seed) {
  const rng = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(rng() * a.length)];
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const ident = () => pick(WORDS) + cap(pick(WORDS));
  const areas = ['components', 'pages', 'hooks', 'lib', 'features', 'services', 'utils', 'store'];
  const text = (size, i) => {
    const lines = [`import { ${ident()}, ${ident()} } from '../${pick(areas)}/${pick(WORDS)}';`, ''];
    let length = 0;
    while (length < size) {
      const kind = int(0, 3);
      let block;
      if (kind === 0) {
        block = `export interface ${cap(ident())}Props {\n${Array.from({ length: int(2, 6) }, () => `  ${ident()}${rng() < 0.3 ? '?' : ''}: ${pick(['string', 'number', 'boolean', `${cap(ident())}[]`])};`).join('\n')}\n}\n`;
      } else if (kind === 1) {
        block = `export function ${cap(ident())}${i}({ ${ident()}, ${ident()} }) {\n  const [${ident()}, set${cap(ident())}] = useState(${int(0, 99)});\n  return (\n    <div className="${pick(WORDS)}-${pick(WORDS)} ${pick(WORDS)}">\n      <${cap(pick(WORDS))} ${pick(WORDS)}={${ident()}} onClick={() => ${ident()}(${int(0, 9)})} />\n    </div>\n  );\n}\n`;
      } else if (kind === 2) {
        block = `// ${Array.from({ length: int(6, 14) }, () => pick(WORDS)).join(' ')}.\nexport const ${ident()}${i} = async (${ident()}: string) => {\n  const response = await fetch(\`/api/${pick(WORDS)}/\${${ident()}}\`);\n  if (!response.ok) throw new Error('${pick(WORDS)} ${pick(WORDS)} failed');\n  return response.json();\n};\n`;
      } else {
        block = `const ${ident()} = {\n${Array.from({ length: int(2, 5) }, () => `  ${pick(WORDS)}: '${pick(WORDS)}-${int(0, 999)}',`).join('\n')}\n};\n`;
      }
      lines.push(block);
      length += block.length + 1;
    }
    return Buffer.from(lines.join('\n')).subarray(0, size);
  };
  return { rng, int, pick, cap, ident, areas, text };
}

/**
 * Writes the push and fetch benchmarks' project into dir: `files` files from `seed`, a third of
 * them random bytes named like images (they do not compress), two thirds code-like text, and a
 * package.json. Answers {files, bytes, binaryBytes}. textSize and binarySize: the range of each
 * kind's sizes in bytes (the CLI zip benchmark asks for larger files).
 */
export function generateProject(
  dir,
  { seed = 20261124, files = 1000, textSize = [10_000, 16_000], binarySize = [6_000, 18_000] } = {},
) {
  const { rng, int, pick, cap, ident, areas, text } = codeGenerator(seed);
  let bytes = 0;
  let binaryBytes = 0;
  for (let i = 0; i < files; i++) {
    let path;
    let body;
    if (i % 3 === 2) {
      const size = int(...binarySize);
      body = Buffer.alloc(size);
      for (let k = 0; k < size; k += 4) body.writeUInt32LE(Math.floor(rng() * 4294967296), Math.min(k, size - 4));
      path = `public/${pick(['images', 'assets', 'media'])}/${pick(WORDS)}-${i}.${pick(['png', 'jpg', 'webp'])}`;
      binaryBytes += size;
    } else {
      path = `src/${pick(areas)}/${pick(WORDS)}/${cap(ident())}${i}.${pick(['tsx', 'ts', 'jsx', 'js'])}`;
      body = text(int(...textSize), i);
    }
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), body);
    bytes += body.length;
  }
  writeFileSync(join(dir, 'package.json'), '{"name":"bench-project","private":true}\n');
  return { files: files + 1, bytes, binaryBytes };
}
