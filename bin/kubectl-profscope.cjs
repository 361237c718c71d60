#!/usr/bin/env node
// kubectl's plugin entry: `kubectl profscope triage -l app=fleet-agent` runs this with
// `triage -l app=fleet-agent`; the same CLI as `profscope`.
require('../dist/electron/cli.cjs');
