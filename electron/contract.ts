// The one API contract between the renderer and the services. The Electron preload
// (over IPC) and browser mode (over HTTP) both implement it with the same method table,
// so the renderer never knows which one it talks to. Types only plus the method table:
// this file is imported by main, preload, server and renderer alike.

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
  /** Profile files directly inside a folder, oldest name first. */
  listFolder(path: string): Promise<ProfileFileInfo[]>;
  /** The sample profiles bundled with the app. */
  sampleFiles(): Promise<ProfileFileInfo[]>;
  /** A native file dialog; null where there is none (browser mode: the page uses its own picker). */
  chooseFiles(): Promise<string[] | null>;
  /** A native folder dialog; null where there is none (browser mode: the page asks for a path). */
  chooseFolder(): Promise<string | null>;
  /** Recently opened files and folders, newest first; `exists` is false for ones gone missing. */
  recentItems(): Promise<RecentItem[]>;
  addRecent(path: string, kind: RecentItem['kind']): Promise<void>;
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

export interface ProfscopeEvents {
  onOpenRequest(listener: (requests: OpenRequest[]) => void): () => void;
}

export const OPEN_REQUEST_CHANNEL = 'profscope:open-request';

export type ApiMethod = keyof ProfscopeApi;

/** Argument kinds, checked at the boundary (IPC handler, HTTP route) before any service runs. */
export type ArgKind = 'path' | 'string' | 'number' | 'boolean' | 'recent-kind';

export const apiMethods = {
  appInfo: [],
  initialFiles: [],
  readFile: ['path'],
  listFolder: ['path'],
  sampleFiles: [],
  chooseFiles: [],
  chooseFolder: [],
  recentItems: [],
  addRecent: ['path', 'recent-kind'],
} as const satisfies Record<ApiMethod, readonly ArgKind[]>;

export type ApiErrorCode = 'bad-request' | 'not-found' | 'not-a-file' | 'too-large' | 'io';

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

/** Throws ApiError('bad-request') unless `args` fit the method's declared argument kinds. */
export function validateArgs(method: ApiMethod, args: unknown): unknown[] {
  const kinds: readonly ArgKind[] = apiMethods[method];
  if (!Array.isArray(args) || args.length !== kinds.length) {
    throw new ApiError('bad-request', `${method} takes ${kinds.length} argument(s)`);
  }
  kinds.forEach((kind, i) => {
    const value: unknown = args[i];
    const ok =
      kind === 'path'
        ? typeof value === 'string' && value.length > 0 && value.length < 4096 && !value.includes('\0')
        : kind === 'recent-kind'
          ? value === 'file' || value === 'folder'
          : typeof value === kind;
    if (!ok) throw new ApiError('bad-request', `${method}: argument ${i + 1} must be a ${kind}`);
  });
  return args as unknown[];
}

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
