// The one API contract between the renderer and the services. The Electron preload
// (over IPC) and browser mode (over HTTP) both implement it with the same method table,
// so the renderer never knows which one it talks to. Types only plus the method table:
// this file is imported by main, preload, server and renderer alike.

// The engine's own shapes of a triage (it runs in a worker and the CLI, and does not import this file).
import type { BreakdownRule, PodSummary } from '../renderer/model/queries/triage/types';
export type { BreakdownRule, PodSummary };
// A file's summary is the engine's (worked out in the services' worker pool).
import type { FileSummary, FunctionTotals } from '../renderer/model/queries/fileSummary';
export type { FileSummary, FunctionTotals };

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
}

export interface ProfileFileInfo {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface ProfscopeApi {
  appInfo(): Promise<AppInfo>;
  /** Files the app was launched with (argv, double-click); the bundled sample when there are none. */
  initialFiles(): Promise<ProfileFileInfo[]>;
  /** The raw bytes of a profile file (gzipped or not); the engine decodes them. */
  readFile(path: string): Promise<Uint8Array>;
  /** A file's size and name, as listed. */
  fileInfo(path: string): Promise<ProfileFileInfo>;
  /**
   * Bytes [offset, offset + length) of a profile file, fewer at its end: large files are read
   * in pieces, so that the page shows how far it got and stops when the tab is closed.
   */
  readFileChunk(path: string, offset: number, length: number): Promise<Uint8Array>;
  /**
   * Many files in one round trip (a timeline's totals): framed by packFileBatch, a file that
   * cannot be read carries its error instead of failing the batch.
   */
  readFileBatch(paths: string[]): Promise<Uint8Array>;
  /**
   * Each file's summary (a timeline's bar: time, duration, totals, top function, and its
   * function table), one result per path in order; worked out on every core and kept in a disk
   * cache while the file keeps its size and mtime. Readable as readFileBatch's files are; a file
   * that cannot be summarised carries an error naming it instead of failing the rest.
   */
  summarizeFiles(paths: string[]): Promise<FileSummaryResult[]>;
  /** Profile files directly inside a folder, oldest name first. */
  listFolder(path: string): Promise<ProfileFileInfo[]>;
  /** The sample profiles bundled with the app. */
  sampleFiles(): Promise<ProfileFileInfo[]>;
  /** The page listens for open requests now: the main process sends what it held back (Electron). */
  readyForOpenRequests(): Promise<void>;
  /**
   * Hands a speedscope-JSON profile to the embedded speedscope: the id names an unguessable
   * URL on speedscope's own origin (SPEEDSCOPE_PROFILES_PATH + id + '.json') while its tab lives.
   */
  stageSpeedscopeProfile(json: string): Promise<string>;
  releaseSpeedscopeProfile(id: string): Promise<void>;
  /** A native file dialog; null where there is none (browser mode: the page uses its own picker). */
  chooseFiles(): Promise<string[] | null>;
  /** A native folder dialog; null where there is none (browser mode: the page asks for a path). */
  chooseFolder(): Promise<string | null>;
  /** Recently opened files and folders, newest first; `exists` is false for ones gone missing. */
  recentItems(): Promise<RecentItem[]>;
  addRecent(path: string, kind: RecentItem['kind']): Promise<void>;

  // Live attach (issue 7). The main process owns every credential; these return names and results.
  /** Contexts from KUBECONFIG (several files) or ~/.kube/config, merged as kubectl merges them. */
  kubeContexts(): Promise<KubeContexts>;
  /**
   * Namespaces to offer, where listing them is allowed; otherwise just the context's own, with
   * `listable: false` and the refusal said (the namespace field takes free text either way).
   */
  kubeNamespaces(context: string): Promise<NamespaceList>;
  /**
   * Pods of one namespace ('' for all namespaces), optionally matching a label selector
   * (kubectl's syntax, '' for all), with their pprof candidates per container. A refused
   * all-namespaces list falls back to the context's namespace and says so in `notice`.
   */
  kubePods(context: string, namespace: string, selector: string): Promise<PodList>;
  /** What the pod's /debug/pprof/ index offers. */
  pprofIndex(target: PodTarget): Promise<PprofEndpoint[]>;
  /** A port-forward bound to 127.0.0.1 (one WebSocket per connection); reused if one is open. */
  startForward(target: PodTarget): Promise<ForwardInfo>;
  listForwards(): Promise<ForwardInfo[]>;
  stopForward(id: string): Promise<void>;
  /** Starts a capture and answers its id at once; poll captureStatus for progress. */
  startCapture(request: CaptureRequest): Promise<string>;
  /** A capture from a pprof URL, as `go tool pprof URL` takes one (no Kubernetes involved). */
  startUrlCapture(request: UrlCaptureRequest): Promise<string>;
  captureStatus(id: string): Promise<CaptureStatus>;
  cancelCapture(id: string): Promise<void>;
  /** Every capture saved, newest first. */
  listLibrary(): Promise<LibraryEntry[]>;
  /** Deletes a library file and its sidecar; only files inside the library. */
  deleteCapture(path: string): Promise<void>;
  libraryDir(): Promise<string>;
  /** CPU every period from the chosen pods into the library, named as Fleet names them. */
  startContinuous(request: ContinuousRequest): Promise<ContinuousInfo>;
  listContinuous(): Promise<ContinuousInfo[]>;
  stopContinuous(id: string): Promise<void>;

  // Triage (issue 12): every chosen pod of every chosen context, captured at once and summed up.
  /** Starts a triage and answers its id at once; poll triageStatus. */
  startTriage(request: TriageRequest): Promise<string>;
  triageStatus(id: string): Promise<TriageStatus>;
  cancelTriage(id: string): Promise<void>;
  /** A saved triage (a library folder) with its table, offline; its breakdown by `rules`. */
  openTriage(dir: string, rules: BreakdownRule[]): Promise<TriageStatus>;
}

/** summarizeFiles' answer for one file: `path` as it was asked for. */
export type FileSummaryResult =
  { path: string; summary: FileSummary } | { path: string; error: string };

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace: string | null;
  server: string | null;
  /** How the user authenticates: 'token', 'client-certificate', 'exec: CMD', 'oidc', 'basic', 'none'. */
  auth: string;
  /** The kubeconfig file the context came from. */
  file: string;
}

export interface KubeContexts {
  contexts: KubeContextInfo[];
  /** current-context of the first file that sets one, as kubectl does. */
  current: string | null;
  files: string[];
  /** Duplicates skipped, files unreadable: said, never silent. */
  warnings: string[];
}

export interface NamespaceList {
  namespaces: string[];
  /** False when listing namespaces was refused (403) or is not served (404). */
  listable: boolean;
  /** The context's namespace, else 'default', as kubectl picks it. */
  contextNamespace: string;
  /** What was refused and which RBAC rule would allow it; null when nothing was. */
  notice: string | null;
}

export interface PodList {
  pods: PodInfo[];
  /** The namespace listed ('' for all): the context's one after a refused all-namespaces list. */
  namespace: string;
  /** A fallback said plainly: what was refused, what is shown instead. */
  notice: string | null;
}

export interface PprofCandidate {
  port: number;
  pathPrefix: string;
  source: 'port-name' | 'annotation' | 'go-default';
  label: string;
}

export interface ContainerInfo {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  candidates: PprofCandidate[];
}

export interface PodInfo {
  namespace: string;
  name: string;
  /** Phase, or the reason that explains it better (CrashLoopBackOff, Terminating…). */
  status: string;
  ready: string;
  restarts: number;
  node: string | null;
  createdAt: number | null;
  labels: Record<string, string>;
  containers: ContainerInfo[];
  /** The workload it belongs to (Deployment, DaemonSet, StatefulSet…) or its first container's name. */
  workload: string;
}

export interface PodTarget {
  context: string;
  namespace: string;
  pod: string;
  container: string | null;
  port: number;
  /** Where net/http/pprof is mounted, normally /debug/pprof. */
  pathPrefix: string;
}

export interface PprofEndpoint {
  name: string;
  count: number | null;
}

export interface ForwardInfo {
  id: string;
  context: string;
  namespace: string;
  pod: string;
  port: number;
  localPort: number;
  startedAt: number;
  connections: number;
  /** open: listening; idle-closed: closed after `idleCloseMs` unused (reopened on demand). */
  state: 'open' | 'idle-closed' | 'failed';
  lastUsedAt: number;
  idleCloseMs: number;
  /** The last connection's error; cleared when a later connection through it succeeds. */
  lastError: string | null;
}

export const CAPTURE_KINDS = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'mutex',
  'block',
  'threadcreate',
  'trace',
] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];
/** Profiles that count since the program started; `?seconds=N` gives their change over N seconds. */
export const CUMULATIVE_KINDS: readonly CaptureKind[] = ['heap', 'allocs', 'mutex', 'block'];

export interface CaptureRequest extends PodTarget {
  kind: CaptureKind;
  /** CPU and trace duration; the window of a delta capture. */
  seconds: number;
  /** A delta of a cumulative profile over `seconds`. */
  delta: boolean;
}

export interface UrlCaptureRequest {
  /**
   * http(s) URL of a pprof handler or of a server serving /debug/pprof: a bare host:port gets
   * `/debug/pprof/<kind>` as `go tool pprof` does; a path naming a profile is used as given.
   */
  url: string;
  kind: CaptureKind;
  seconds: number;
}

export interface CaptureMeta extends PodTarget {
  kind: CaptureKind;
  delta: boolean;
  /** ISO time the capture started. */
  start: string;
  durationSec: number;
  appVersion: string;
  /** A capture from a URL (startUrlCapture): the URL fetched; context and namespace are ''. */
  url?: string;
}

export interface LibraryEntry {
  path: string;
  name: string;
  size: number;
  /** Execution traces are not pprof: open them with `go tool trace`. */
  isTrace: boolean;
  meta: CaptureMeta | null;
  /** A saved triage: the entry is its folder (open it with openTriage). */
  triage: { pods: number; contexts: string[]; start: string } | null;
}

export interface CaptureStatus {
  id: string;
  request: CaptureRequest | UrlCaptureRequest;
  state: 'running' | 'done' | 'error' | 'cancelled';
  startedAt: number;
  elapsedMs: number;
  /** 0..1; timed captures advance with the clock. */
  progress: number;
  error: string | null;
  entry: LibraryEntry | null;
}

export interface ContinuousRequest {
  targets: PodTarget[];
  periodSec: number;
  /** The <component> of the file names (fleetcontroller, fleetagent…). */
  component: string;
}

export interface ContinuousInfo {
  id: string;
  request: ContinuousRequest;
  running: boolean;
  startedAt: number;
  captures: number;
  errors: number;
  lastError: string | null;
  /** One folder per pod: open it as a timeline. */
  folders: string[];
}

/**
 * Which pods a triage covers in one context: a namespace (null: the context's own, as kubectl
 * picks it; '' all namespaces), a label selector ('' for any) and/or pod names ([] for any).
 */
export interface TriageScope {
  context: string;
  namespace: string | null;
  selector: string;
  names: string[];
}

export interface TriageRequest {
  scopes: TriageScope[];
  kinds: CaptureKind[];
  /** CPU profile length. */
  seconds: number;
  /** The pprof port and path; null: each pod's first candidate (annotation, port name, 6060). */
  port: number | null;
  pathPrefix: string | null;
  rules: BreakdownRule[];
}

export interface TriageCapture {
  state: 'pending' | 'running' | 'done' | 'error' | 'cancelled';
  progress: number;
  error: string | null;
  /** The profile in the triage's folder. */
  file: string | null;
  /** When the capture ended (ms since the epoch; the benchmark measures the table against it). */
  finishedAt: number | null;
  /** The default sample type's total and unit (CPU nanoseconds, heap bytes in use, goroutines). */
  total: number | null;
  unit: string | null;
}

export interface TriagePod {
  context: string;
  namespace: string;
  pod: string;
  node: string | null;
  restarts: number;
  /** Pods of one workload form a group: the workload's name (see PodInfo.workload). */
  group: string;
  captures: Partial<Record<CaptureKind, TriageCapture>>;
  summary: PodSummary | null;
  /** kubectl top's figures where the cluster serves metrics.k8s.io. */
  metrics: { cpuCores: number; memoryBytes: number } | null;
}

export interface TriageStatus {
  id: string;
  request: TriageRequest;
  state: 'resolving' | 'running' | 'done' | 'cancelled';
  startedAt: number;
  finishedAt: number | null;
  /** The library folder holding every capture and summary.json. */
  dir: string;
  /** Scopes that could not be listed (cluster unreachable, 403): the others still complete. */
  scopeErrors: { context: string; namespace: string; message: string }[];
  pods: TriagePod[];
  /** The triage before this one over the same scopes, for the change since then. */
  previous: { dir: string; startedAt: number; pods: TriagePod[] } | null;
}

export interface RecentItem {
  path: string;
  kind: 'file' | 'folder';
  openedAt: number;
  exists: boolean;
}

/** Paths the OS or a second launch hands to the running window (Electron only). */
export interface OpenRequest {
  path: string;
  kind: 'file' | 'folder';
}

/** Application-menu items whose work is the page's (the menu's accelerators take the keys first). */
export type MenuCommand = 'open-files' | 'open-folder' | 'shortcuts';

export interface ProfscopeEvents {
  onOpenRequest(listener: (requests: OpenRequest[]) => void): () => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

export const OPEN_REQUEST_CHANNEL = 'profscope:open-request';
export const MENU_COMMAND_CHANNEL = 'profscope:menu-command';

export type ApiMethod = keyof ProfscopeApi;

/** Argument kinds, checked at the boundary (IPC handler, HTTP route) before any service runs. */
export type ArgKind =
  | 'path'
  | 'string'
  | 'number'
  | 'boolean'
  | 'offset'
  | 'chunk-length'
  | 'recent-kind'
  | 'paths'
  | 'speedscope-json'
  | 'stage-id'
  | 'name'
  | 'namespace'
  | 'id'
  | 'pod-target'
  | 'capture-request'
  | 'continuous-request'
  | 'label-selector'
  | 'url-capture-request'
  | 'triage-request'
  | 'breakdown-rules';

export const apiMethods = {
  appInfo: [],
  initialFiles: [],
  readFile: ['path'],
  fileInfo: ['path'],
  readFileChunk: ['path', 'offset', 'chunk-length'],
  readFileBatch: ['paths'],
  summarizeFiles: ['paths'],
  listFolder: ['path'],
  sampleFiles: [],
  readyForOpenRequests: [],
  stageSpeedscopeProfile: ['speedscope-json'],
  releaseSpeedscopeProfile: ['stage-id'],
  chooseFiles: [],
  chooseFolder: [],
  recentItems: [],
  addRecent: ['path', 'recent-kind'],
  kubeContexts: [],
  kubeNamespaces: ['name'],
  kubePods: ['name', 'namespace', 'label-selector'],
  pprofIndex: ['pod-target'],
  startForward: ['pod-target'],
  listForwards: [],
  stopForward: ['id'],
  startCapture: ['capture-request'],
  startUrlCapture: ['url-capture-request'],
  captureStatus: ['id'],
  cancelCapture: ['id'],
  listLibrary: [],
  deleteCapture: ['path'],
  libraryDir: [],
  startContinuous: ['continuous-request'],
  listContinuous: [],
  stopContinuous: ['id'],
  startTriage: ['triage-request'],
  triageStatus: ['id'],
  cancelTriage: ['id'],
  openTriage: ['path', 'breakdown-rules'],
} as const satisfies Record<ApiMethod, readonly ArgKind[]>;

export type ApiErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'not-a-file'
  | 'too-large'
  | 'io'
  | 'auth'
  | 'forbidden'
  | 'unavailable'
  | 'cancelled';

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
}

/** Every call answers with this envelope, so errors keep their code across IPC and HTTP. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}

function isPath(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length < 4096 && !value.includes('\0')
  );
}

export const MAX_BATCH_FILES = 200;

/** Larger files are refused before reading; the engine caps inflated size separately. */
export const MAX_PROFILE_FILE_BYTES = 2 * 1024 ** 3;

/** The largest piece readFileChunk gives. */
export const MAX_READ_CHUNK = 16 * 1024 ** 2;

const MAX_SPEEDSCOPE_JSON = 1024 ** 3;

export type BatchItem = { bytes: Uint8Array } | { error: string };

/** Frames a batch of files as one buffer: per item a u32 tag (0 bytes, 1 error), a u32 length, the payload. */
export function packFileBatch(items: BatchItem[]): Uint8Array {
  const enc = new TextEncoder();
  const payloads = items.map((it) => ('bytes' in it ? it.bytes : enc.encode(it.error)));
  const out = new Uint8Array(payloads.reduce((n, p) => n + 8 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  items.forEach((it, i) => {
    view.setUint32(at, 'bytes' in it ? 0 : 1, true);
    view.setUint32(at + 4, payloads[i].byteLength, true);
    out.set(payloads[i], at + 8);
    at += 8 + payloads[i].byteLength;
  });
  return out;
}

export function unpackFileBatch(buf: Uint8Array): BatchItem[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dec = new TextDecoder();
  const items: BatchItem[] = [];
  for (let at = 0; at + 8 <= buf.byteLength;) {
    const tag = view.getUint32(at, true);
    const len = view.getUint32(at + 4, true);
    const payload = buf.slice(at + 8, at + 8 + len);
    items.push(tag === 0 ? { bytes: payload } : { error: dec.decode(payload) });
    at += 8 + len;
  }
  return items;
}

/** Throws ApiError('bad-request') unless `args` fit the method's declared argument kinds. */
export function validateArgs(method: ApiMethod, args: unknown): unknown[] {
  const kinds: readonly ArgKind[] = apiMethods[method];
  if (!Array.isArray(args) || args.length !== kinds.length) {
    throw new ApiError('bad-request', `${method} takes ${kinds.length} argument(s)`);
  }
  kinds.forEach((kind, i) => {
    const value: unknown = args[i];
    const ok = argChecks[kind](value);
    if (!ok) throw new ApiError('bad-request', `${method}: argument ${i + 1} must be a ${kind}`);
  });
  return args as unknown[];
}

// Live-attach argument checks: exact shapes, no extra keys, names as Kubernetes allows them.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasExactKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(v);
  return (
    own.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(v, k))
  );
}

/** A kubeconfig context name: any printable text, as kubectl allows. */
function isContextName(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length > 0 &&
    v.length <= 512 &&
    ![...v].some((c) => c < ' ' || c === '\u007f')
  );
}

/** A DNS-1123 label or subdomain (namespaces, pods, containers). */
function isK8sName(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length > 0 &&
    v.length <= 253 &&
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v)
  );
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** An absolute URL path prefix such as /debug/pprof: no query, no dot segments. */
function isPathPrefix(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length <= 256 &&
    /^(\/[A-Za-z0-9._~-]+)*\/?$/.test(v) &&
    !v.split('/').some((seg) => seg === '.' || seg === '..')
  );
}

const TARGET_KEYS = ['context', 'namespace', 'pod', 'container', 'port', 'pathPrefix'] as const;

function targetFieldsOk(v: Record<string, unknown>): boolean {
  return (
    isContextName(v.context) &&
    isK8sName(v.namespace) &&
    isK8sName(v.pod) &&
    (v.container === null || isK8sName(v.container)) &&
    isPort(v.port) &&
    isPathPrefix(v.pathPrefix)
  );
}

export function isPodTarget(v: unknown): v is PodTarget {
  return isRecord(v) && hasExactKeys(v, TARGET_KEYS) && targetFieldsOk(v);
}

export function isCaptureRequest(v: unknown): v is CaptureRequest {
  return (
    isRecord(v) &&
    hasExactKeys(v, [...TARGET_KEYS, 'kind', 'seconds', 'delta']) &&
    targetFieldsOk(v) &&
    isCaptureKind(v.kind) &&
    isSeconds(v.seconds) &&
    typeof v.delta === 'boolean' &&
    (!v.delta || CUMULATIVE_KINDS.includes(v.kind))
  );
}

export function isContinuousRequest(v: unknown): v is ContinuousRequest {
  return (
    isRecord(v) &&
    hasExactKeys(v, ['targets', 'periodSec', 'component']) &&
    Array.isArray(v.targets) &&
    v.targets.length > 0 &&
    v.targets.length <= 50 &&
    v.targets.every(isPodTarget) &&
    typeof v.periodSec === 'number' &&
    Number.isInteger(v.periodSec) &&
    v.periodSec >= 1 &&
    v.periodSec <= 86400 &&
    typeof v.component === 'string' &&
    /^[A-Za-z0-9-]{1,63}$/.test(v.component)
  );
}

/** A label selector in kubectl's syntax ('' for all); the API server parses it. */
function isLabelSelector(v: unknown): v is string {
  return (
    typeof v === 'string' && v.length <= 1024 && ![...v].some((c) => c < ' ' || c === '\u007f')
  );
}

function isCaptureKind(v: unknown): v is CaptureKind {
  return (CAPTURE_KINDS as readonly unknown[]).includes(v);
}

function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3600;
}

export function isUrlCaptureRequest(v: unknown): v is UrlCaptureRequest {
  if (!isRecord(v) || !hasExactKeys(v, ['url', 'kind', 'seconds'])) return false;
  if (typeof v.url !== 'string' || v.url.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(v.url);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    isCaptureKind(v.kind) &&
    isSeconds(v.seconds)
  );
}

export const MAX_BREAKDOWN_RULES = 32;

export function isBreakdownRules(v: unknown): v is BreakdownRule[] {
  return (
    Array.isArray(v) &&
    v.length <= MAX_BREAKDOWN_RULES &&
    v.every(
      (r) =>
        isRecord(r) &&
        hasExactKeys(r, ['name', 'pattern']) &&
        typeof r.name === 'string' &&
        r.name.length > 0 &&
        r.name.length <= 64 &&
        typeof r.pattern === 'string' &&
        r.pattern.length > 0 &&
        r.pattern.length <= 1000,
    )
  );
}

function isTriageScope(v: unknown): v is TriageScope {
  return (
    isRecord(v) &&
    hasExactKeys(v, ['context', 'namespace', 'selector', 'names']) &&
    isContextName(v.context) &&
    (v.namespace === null || v.namespace === '' || isK8sName(v.namespace)) &&
    isLabelSelector(v.selector) &&
    Array.isArray(v.names) &&
    v.names.length <= 500 &&
    v.names.every(isK8sName)
  );
}

export function isTriageRequest(v: unknown): v is TriageRequest {
  return (
    isRecord(v) &&
    hasExactKeys(v, ['scopes', 'kinds', 'seconds', 'port', 'pathPrefix', 'rules']) &&
    Array.isArray(v.scopes) &&
    v.scopes.length > 0 &&
    v.scopes.length <= 200 &&
    v.scopes.every(isTriageScope) &&
    Array.isArray(v.kinds) &&
    v.kinds.length > 0 &&
    v.kinds.every(isCaptureKind) &&
    new Set(v.kinds).size === v.kinds.length &&
    isSeconds(v.seconds) &&
    (v.port === null || isPort(v.port)) &&
    (v.pathPrefix === null || isPathPrefix(v.pathPrefix)) &&
    isBreakdownRules(v.rules)
  );
}

const liveArgChecks = {
  'label-selector': isLabelSelector,
  'url-capture-request': isUrlCaptureRequest,
  'triage-request': isTriageRequest,
  'breakdown-rules': isBreakdownRules,
  name: isContextName,
  namespace: (v: unknown) => v === '' || isK8sName(v),
  id: (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
  'pod-target': isPodTarget,
  'capture-request': isCaptureRequest,
  'continuous-request': isContinuousRequest,
} satisfies Partial<Record<ArgKind, (v: unknown) => boolean>>;

/** One check per argument kind; the live-attach kinds are defined with their shapes below. */
const argChecks: Record<ArgKind, (value: unknown) => boolean> = {
  path: isPath,
  paths: (v) => Array.isArray(v) && v.length > 0 && v.length <= MAX_BATCH_FILES && v.every(isPath),
  'speedscope-json': (v) =>
    typeof v === 'string' && v.length > 0 && v.length <= MAX_SPEEDSCOPE_JSON,
  'stage-id': (v) => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v),
  'recent-kind': (v) => v === 'file' || v === 'folder',
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  offset: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  'chunk-length': (v) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_READ_CHUNK,
  ...liveArgChecks,
};

/** Builds the typed API object over any transport (IPC invoke or HTTP POST). */
export function createApiClient(
  call: (method: ApiMethod, args: unknown[]) => Promise<ApiResult<unknown>>,
): ProfscopeApi {
  const client: Partial<Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const method of Object.keys(apiMethods) as ApiMethod[]) {
    client[method] = async (...args: unknown[]) => {
      const result = await call(method, args);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return client as ProfscopeApi;
}
