import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  ProfileError,
  compileRegexOption,
  decodeProfile,
  exportCollapsed,
  exportPprof,
  exportSpeedscope,
  formatPercent,
  formatValue,
  markDiffBase,
  mergeProfiles,
  negateProfile,
  normalizeProfile,
  pprofTop,
  scaleValue,
  selectOutputUnit,
  traces,
} from '../../renderer/model/index';
import type { Profile, ViewOptions } from '../../renderer/model/index';
import { nodeGunzip } from '../nodeGunzip';
import { decodeMergedInPool, poolFits } from './pool';

type Writer = (s: string) => void;

const defaultErr: Writer = (s) => {
  process.stderr.write(s);
};

class UsageError extends Error {}

interface ParsedArgs {
  files: string[];
  flags: Map<string, string>;
  /** Boolean flags given, with their values: "-trim=false" is false. */
  bools: Map<string, boolean>;
}

const VALUE_FLAGS = new Set([
  'sample_index',
  'nodecount',
  'focus',
  'ignore',
  'hide',
  'show',
  'tagfocus',
  'tagignore',
  'base',
  'to',
  'o',
  'output',
  'granularity',
  'nodefraction',
  'edgefraction',
  'show_from',
  'tagshow',
  'taghide',
  'tagroot',
  'tagleaf',
  'divide_by',
  'diff_base',
]);
const BOOL_FLAGS = new Set([
  'json',
  'lines',
  'files',
  'functions',
  'filefunctions',
  'addresses',
  'help',
  'cum',
  'flat',
  'noinlines',
  'trim',
  'normalize',
]);

/** Go's strconv.ParseBool, which its flag package uses for "-flag=value". */
const GO_BOOLS = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => [v, true] as const),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => [v, false] as const),
]);

/**
 * Accepts "--flag value", "--flag=value" and pprof's single-dash "-flag value"; a boolean flag
 * takes a value only after "=", as Go's flag package reads it.
 */
function parseArgs(args: string[]): ParsedArgs {
  const files: string[] = [];
  const flags = new Map<string, string>();
  const bools = new Map<string, boolean>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = (eq >= 0 ? body.slice(0, eq) : body).replace(/-/g, '_');
    if (BOOL_FLAGS.has(name)) {
      const value = eq >= 0 ? GO_BOOLS.get(body.slice(eq + 1)) : true;
      if (value === undefined) throw new UsageError(`invalid boolean value in ${a}`);
      bools.set(name, value);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown flag: ${a}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      if (i + 1 >= args.length) throw new UsageError(`flag ${a} needs a value`);
      value = args[++i];
    }
    flags.set(name, value);
  }
  return { files, flags, bools };
}

class FileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

/** Runs `fn`, reporting a ProfileError it throws as a FileError about `file`. */
async function blame<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProfileError) throw new FileError(file, e.message);
    throw e;
  }
}

async function loadProfile(file: string): Promise<Profile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new FileError(file, e instanceof Error ? e.message : String(e));
  }
  return blame(file, () => decodeProfile(bytes, { gunzip: nodeGunzip }));
}

async function loadMerged(files: string[]): Promise<Profile> {
  if (files.length === 0) throw new UsageError('no profile files given');
  // Many files are decoded on every core (cli/pool.ts): the same profile, the same errors.
  if (poolFits(files))
    return blame(files.join(', '), () => decodeMergedInPool(files, (f, m) => new FileError(f, m)));
  const profiles: Profile[] = [];
  for (const f of files) profiles.push(await loadProfile(f));
  return blame(files.join(', '), () => mergeProfiles(profiles));
}

/** pprof's filter flags and the ViewOptions fields they set. */
const FILTER_FLAGS = [
  ['focus', 'focus'],
  ['ignore', 'ignore'],
  ['hide', 'hide'],
  ['show', 'show'],
  ['show_from', 'showFrom'],
  ['tagfocus', 'tagFocus'],
  ['tagignore', 'tagIgnore'],
] as const;

/** The filters pprof lists under "Active filters:", in its order (tagshow/taghide only hide labels). */
const ACTIVE_FILTERS = [
  'focus',
  'ignore',
  'hide',
  'show',
  'show_from',
  'tagfocus',
  'tagignore',
  'tagshow',
  'taghide',
];

function isSet(parsed: ParsedArgs, name: string): boolean {
  return parsed.bools.get(name) === true;
}

/** pprof's comma-separated label keys (empty ones dropped). */
function labelKeys(parsed: ParsedArgs, flag: string): string[] | undefined {
  const keys = parsed.flags
    .get(flag)
    ?.split(',')
    .filter((k) => k !== '');
  return keys?.length ? keys : undefined;
}

function viewOptions(profile: Profile, parsed: ParsedArgs): ViewOptions {
  const opts: ViewOptions = {};
  const si = parsed.flags.get('sample_index');
  if (si !== undefined) {
    const idx = profile.sampleIndexOf(si);
    if (idx < 0) {
      const names = profile.sampleTypes.map((t) => t.type).join(', ');
      throw new UsageError(`sample_index ${si} not found; the profile has: ${names}`);
    }
    opts.sampleIndex = idx;
  }
  const granularities = ['functions', 'filefunctions', 'lines', 'files', 'addresses'] as const;
  const g = parsed.flags.get('granularity');
  const named = granularities.find((x) => x === g);
  if (named) opts.granularity = named;
  else if (g !== undefined) throw new UsageError(`unknown granularity ${g}`);
  for (const b of granularities) if (isSet(parsed, b)) opts.granularity = b;
  for (const [flag, key] of FILTER_FLAGS) {
    const v = parsed.flags.get(flag);
    if (v !== undefined) opts[key] = v;
  }
  if (isSet(parsed, 'noinlines')) opts.noInlines = true;
  opts.tagRoot = labelKeys(parsed, 'tagroot');
  opts.tagLeaf = labelKeys(parsed, 'tagleaf');
  return opts;
}

/**
 * A subcommand: parses its arguments, runs, and prints a usage error (exit code 2) or a
 * file or profile error (exit code 1) on `err` instead of throwing it.
 */
function command(
  body: (parsed: ParsedArgs, out: Writer) => Promise<void>,
): (args: string[], out: Writer, err?: Writer) => Promise<number> {
  return async (args, out, err = defaultErr) => {
    try {
      await body(parseArgs(args), out);
      return 0;
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof FileError || e instanceof ProfileError))
        throw e;
      err(`${e.message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Jan 2, 2006 at 3:04pm (MST)" in the local time zone. */
function formatTime(nanos: number): string {
  const d = new Date(nanos / 1e6);
  const h = d.getHours() % 12 || 12;
  const ampm = d.getHours() < 12 ? 'am' : 'pm';
  const tz =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const zone = tz === 'GMT' && d.getTimezoneOffset() === 0 ? 'UTC' : tz;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} at ${h}:${String(d.getMinutes()).padStart(2, '0')}${ampm} (${zone})`;
}

/**
 * pprof's -base / -diff_base (with -normalize): the profile minus the base, merged with it
 * negated; a diff base's samples are labelled so they stay apart and make the report's total.
 */
async function subtractBase(profile: Profile, parsed: ParsedArgs): Promise<Profile> {
  const basePath = parsed.flags.get('base') || undefined;
  const diffBasePath = parsed.flags.get('diff_base') || undefined;
  if (basePath && diffBasePath)
    throw new UsageError('-base and -diff_base flags cannot both be specified');
  const path = basePath ?? diffBasePath;
  if (path === undefined) {
    if (isSet(parsed, 'normalize')) throw new UsageError('must have base profile to normalize by');
    return profile;
  }
  let base = await loadProfile(path);
  if (diffBasePath) base = markDiffBase(base);
  if (isSet(parsed, 'normalize'))
    profile = await blame(path, () => normalizeProfile(profile, base));
  return blame(path, () => mergeProfiles([profile, negateProfile(base)]));
}

/** A float flag as Go's flag package reads it (strconv.ParseFloat's decimal forms). */
function floatFlag(parsed: ParsedArgs, name: string, fallback: number): number {
  const text = parsed.flags.get(name);
  if (text === undefined) return fallback;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
    throw new UsageError(`bad --${name} ${text}`);
  return Number(text);
}

/** `profscope top`: the same report as `go tool pprof -top`. */
export const runTop = command(async (parsed, out) => {
  const profile = await subtractBase(await loadMerged(parsed.files), parsed);
  const opts = viewOptions(profile, parsed);
  // Label filters: they only hide labels, which -top does not print, but a bad one is an error.
  for (const flag of ['tagshow', 'taghide']) compileRegexOption(flag, parsed.flags.get(flag));
  const nodeCountFlag = parsed.flags.get('nodecount');
  let nodeCount = nodeCountFlag === undefined ? 0 : Number(nodeCountFlag);
  if (!Number.isInteger(nodeCount) || nodeCount < 0)
    throw new UsageError(`bad --nodecount ${nodeCountFlag}`);
  let nodeFraction = floatFlag(parsed, 'nodefraction', 0.005);
  if (nodeFraction < 0) throw new UsageError(`bad --nodefraction ${nodeFraction}`);
  // Edges are not printed, but the inline labels are read from the edges left after it.
  let edgeFraction = floatFlag(parsed, 'edgefraction', 0.001);
  // pprof's -trim=false: no node or edge is left out for being small or past -nodecount.
  if (parsed.bools.get('trim') === false) {
    nodeCount = 0;
    nodeFraction = 0;
    edgeFraction = 0;
  }
  const divideBy = floatFlag(parsed, 'divide_by', 1);
  if (divideBy === 0) throw new UsageError('zero divisor specified');
  if (isSet(parsed, 'cum') && isSet(parsed, 'flat'))
    throw new UsageError('conflicting options set: [cum flat]');
  const top = pprofTop(profile, opts, {
    nodeCount,
    nodeFraction,
    edgeFraction,
    cum: isSet(parsed, 'cum'),
  });
  out(
    isSet(parsed, 'json')
      ? `${JSON.stringify(top, null, 2)}\n`
      : renderTopText(profile, top, parsed, 1 / divideBy),
  );
});

/** pprof's ProfileLabels: the report's header (file, comments, type, time, duration). */
function profileLabels(
  profile: Profile,
  sampleType: { type: string; unit: string },
  total: number,
  fmt: (v: number) => string,
): string[] {
  const unit = sampleType.unit.toLowerCase();
  const lines: string[] = [];
  const summary = profile.summary();
  if (profile.mappings.id.length > 0) {
    const file = profile.str(profile.mappings.file[0]);
    if (file) lines.push(`File: ${basename(file)}`);
    const buildId = profile.str(profile.mappings.buildId[0]);
    if (buildId) lines.push(`Build ID: ${buildId}`);
  }
  for (const c of summary.comments) if (!c.startsWith('#')) lines.push(c);
  lines.push(`Type: ${sampleType.type}`);
  if (summary.timeNanos) lines.push(`Time: ${formatTime(summary.timeNanos)}`);
  if (summary.durationNanos) {
    let ratio = '';
    // pprof shows the ratio only for time-valued samples (e.g. 145% = 1.45 cores busy).
    const [nanos, nanosUnit] = scaleValue(total, unit, 'nanoseconds');
    if (nanosUnit === 'ns' && nanos !== 0)
      ratio = `(${formatPercent(Math.trunc(nanos), summary.durationNanos)})`;
    lines.push(
      `Duration: ${formatValue(summary.durationNanos, 'nanoseconds')}, Total samples = ${fmt(total)} ${ratio}`,
    );
  }
  return lines;
}

/** `ratio`: pprof's 1/-divide_by, applied to every value printed (not to percentages). */
function renderTopText(
  profile: Profile,
  top: ReturnType<typeof pprofTop>,
  parsed: ParsedArgs,
  ratio: number,
): string {
  const unit = top.sampleType.unit.toLowerCase();
  const outUnit = selectOutputUnit(
    top.rows.map((r) => (r.flat !== 0 ? r.flat : r.cum)),
    top.total,
    unit,
    ratio,
  );
  const scale = ratio > 0 && ratio !== 1;
  const fmt = (v: number): string => formatValue(scale ? Math.trunc(v * ratio) : v, unit, outUnit);
  const lines = profileLabels(profile, top.sampleType, top.total, fmt);
  const active: string[] = [];
  for (const k of ACTIVE_FILTERS) {
    const v = parsed.flags.get(k);
    if (v) active.push(`${k}=${v}`);
  }
  if (active.length) {
    lines.push('Active filters:');
    // Go cuts at 80 bytes, not characters.
    for (const a of active) {
      const bytes = Buffer.from(a, 'utf8');
      lines.push(`   ${bytes.length > 80 ? `${bytes.subarray(0, 80).toString('utf8')}…` : a}`);
    }
  }
  let flatSum = 0;
  for (const r of top.rows) flatSum += r.flat;
  lines.push(
    `Showing nodes accounting for ${fmt(flatSum)}, ${formatPercent(flatSum, top.total).trim()} of ${fmt(top.total)} total`,
  );
  if (top.total !== 0) {
    if (top.dropped > 0)
      lines.push(
        `Dropped ${top.dropped} ${top.dropped === 1 ? 'node' : 'nodes'} (cum <= ${fmt(top.cutoffLabelValue)})`,
      );
    if (top.rows.length > 0 && top.rows.length < top.afterCutoff) {
      lines.push(`Showing top ${top.rows.length} nodes out of ${top.afterCutoff}`);
    }
  }
  lines.push(
    `${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`,
  );
  let sum = 0;
  for (const r of top.rows) {
    sum += r.flat;
    const inl = r.inlineLabel ? ` (${r.inlineLabel})` : '';
    lines.push(
      `${fmt(r.flat).padStart(10)} ${formatPercent(r.flat, top.total)} ${formatPercent(sum, top.total)} ${fmt(r.cum).padStart(10)} ${formatPercent(r.cum, top.total)}  ${r.name}${inl}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function outputPath(parsed: ParsedArgs): string {
  const o = parsed.flags.get('o') ?? parsed.flags.get('output');
  if (!o) throw new UsageError('missing -o OUTPUT');
  return o;
}

/** `profscope convert FILE... --to pprof|speedscope|collapsed -o OUT`. */
export const runConvert = command(async (parsed, out) => {
  const to = parsed.flags.get('to');
  if (to !== 'pprof' && to !== 'speedscope' && to !== 'collapsed') {
    throw new UsageError('--to must be pprof, speedscope or collapsed');
  }
  const target = outputPath(parsed);
  const profile = await loadMerged(parsed.files);
  const opts = viewOptions(profile, parsed);
  let data: Uint8Array | string;
  if (to === 'pprof') data = await exportPprof(profile, opts);
  else if (to === 'speedscope')
    data = exportSpeedscope(profile, opts, parsed.files.map((f) => basename(f)).join(' + '));
  else data = exportCollapsed(profile, opts);
  await writeFile(target, data);
  out(`wrote ${target}\n`);
});

/** `profscope merge FILE... -o OUT.pb.gz`: like `go tool pprof -proto a b c`. */
export const runMerge = command(async (parsed, out) => {
  const target = outputPath(parsed);
  const profile = await loadMerged(parsed.files);
  await writeFile(target, await exportPprof(profile, {}));
  out(`wrote ${target}\n`);
});

/** `profscope traces FILE...`: every sample with its stack, as `go tool pprof -traces`. */
export const runTraces = command(async (parsed, out) => {
  const profile = await loadMerged(parsed.files);
  const { sampleIndex = profile.defaultSampleIndex } = viewOptions(profile, parsed);
  const sampleType = profile.sampleTypes[sampleIndex];
  const unit = sampleType.unit.toLowerCase();
  const fmt = (v: number) => formatValue(v, unit, 'minimum');
  const nt = profile.sampleTypes.length;
  let total = 0;
  for (let s = 0; s < profile.samples.count; s++)
    total += Math.abs(profile.samples.values[s * nt + sampleIndex]);
  const separator = '-----------+-------------------------------------------------------';
  const lines = profileLabels(profile, sampleType, total, fmt);
  for (const t of traces(profile, sampleIndex)) {
    lines.push(separator, ...t.labels);
    t.frames.forEach((f, i) =>
      lines.push(
        `${(i === 0 ? fmt(t.value) : '').padStart(10)}   ${f.name}${f.inline ? ' (inline)' : ''}`,
      ),
    );
  }
  lines.push(separator);
  out(`${lines.join('\n')}\n`);
});
