#!/usr/bin/env node
// The CLI is bundled by `npm run build` into dist/electron/cli.cjs.
require('../dist/electron/cli.cjs');
