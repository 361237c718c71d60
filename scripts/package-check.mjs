// Packs the app with electron-builder against a stub Electron (no binary can be downloaded
// here) and checks the packed layout: app.asar holds main, preload and the renderer, and
// the desktop metadata carries the file associations. The stub carries a fuse wire laid out as
// Electron's (sentinel, version, length, one byte per fuse, Electron's defaults), so
// electron-builder's `electronFuses` step really flips it, and the flipped bits are read back
// with @electron/fuses as for a real binary.
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

const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const [ENABLED, DISABLED] = ['1'.charCodeAt(0), '0'.charCodeAt(0)];
/** Electron's own defaults, in FuseV1Options order: what an unconfigured build would ship. */
const DEFAULT_WIRE = '10110001';

const stub = mkdtempSync(join(tmpdir(), 'electron-stub-'));
writeFileSync(
  join(stub, 'electron'),
  Buffer.concat([
    Buffer.from(`#!/bin/sh\necho "stub electron"\nexit 0\n# ${FUSE_SENTINEL}`),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.from('\n'),
  ]),
);
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
// What electron-builder.yml asks for, read back from the packed binary.
const wantedFuses = {
  RunAsNode: DISABLED,
  EnableNodeOptionsEnvironmentVariable: DISABLED,
  EnableNodeCliInspectArguments: DISABLED,
  EnableEmbeddedAsarIntegrityValidation: ENABLED,
  OnlyLoadAppFromAsar: ENABLED,
  EnableCookieEncryption: ENABLED,
  GrantFileProtocolExtraPrivileges: DISABLED,
};
const wire = await getCurrentFuseWire(join(unpacked, 'profscope'));
const wrongFuses = Object.entries(wantedFuses).filter(
  ([name, state]) => wire[FuseV1Options[name]] !== state,
);
if (wrongFuses.length > 0) {
  throw new Error(`fuses not flipped: ${wrongFuses.map(([name]) => name).join(', ')}`);
}
const renderer = [...files].filter((f) => f.startsWith('/dist/renderer/assets/'));
if (!renderer.some((f) => f.endsWith('.js'))) throw new Error('no renderer scripts in app.asar');
console.log(
  `package:check ok: ${files.size} entries in app.asar; fuses ${Object.keys(wantedFuses).length}/${Object.keys(wantedFuses).length} as configured; ${readdirSync(unpacked).join(', ')}`,
);
