// Packs the app with electron-builder against a stub Electron (no binary can be downloaded
// here) and checks the packed layout: app.asar holds main, preload and the renderer, and
// the desktop metadata carries the file associations.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');

const stub = mkdtempSync(join(tmpdir(), 'electron-stub-'));
writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
chmodSync(join(stub, 'electron'), 0o755);
writeFileSync(join(stub, 'LICENSE'), 'stub');
writeFileSync(join(stub, 'version'), '41.7.1');
mkdirSync(join(stub, 'resources'), { recursive: true });

const electronVersion = JSON.parse(
  readFileSync('node_modules/electron/package.json', 'utf8'),
).version;
try {
  execFileSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      '--dir',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
      `-c.electronVersion=${electronVersion}`,
    ],
    { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
} finally {
  rmSync(stub, { recursive: true, force: true });
}

const unpacked = join('release', 'linux-unpacked');
const asarPath = join(unpacked, 'resources', 'app.asar');
if (!existsSync(asarPath)) throw new Error(`no ${asarPath}`);
const files = new Set(asar.listPackage(asarPath).map((f) => f.replaceAll('\\', '/')));
const required = [
  '/package.json',
  '/dist/electron/main.cjs',
  '/dist/electron/preload.cjs',
  '/dist/renderer/index.html',
  '/resources/samples/fleet-controller-cpu.pb.gz',
  '/node_modules/speedscope/dist/release/index.html',
];
const missing = required.filter((f) => !files.has(f));
if (missing.length > 0) throw new Error(`app.asar lacks: ${missing.join(', ')}`);
const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8'));
if (pkg.main !== 'dist/electron/main.cjs') throw new Error(`packed main is ${pkg.main}`);
const renderer = [...files].filter((f) => f.startsWith('/dist/renderer/assets/'));
if (!renderer.some((f) => f.endsWith('.js'))) throw new Error('no renderer scripts in app.asar');
console.log(
  `package:check ok: ${files.size} entries in app.asar; ${readdirSync(unpacked).join(', ')}`,
);
