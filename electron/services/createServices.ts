import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ApiError,
  packFileBatch,
  type BatchItem,
  validateArgs,
  type ApiMethod,
  type ApiResult,
  type AppInfo,
  type ProfileFileInfo,
  type ProfscopeApi,
} from '../contract';
import { FileAccess } from './fileAccess';
import { fileInfo, listProfileFolder, readProfileBytes, readProfileChunk } from './profileFiles';
import { appRoot, samplesDir } from './paths';
import { RecentStore } from './recentItems';
import { speedscopeStage } from './speedscopeStage';
import { SummaryService } from './summaries/summaryService';
import type { WorkerPool } from './summaries/pool';
import {
  createLiveService,
  defaultDataDir,
  type LiveApi,
  type LiveService,
} from '../kube/liveService';
import type { KubeconfigSource } from '../kube/kubeconfig';

export interface ServiceOptions {
  mode: AppInfo['mode'];
  /** Paths given on the command line or by the OS (double-click). */
  launchFiles: string[];
  /** Where settings such as the recent list live (Electron's userData; ~/.config/profscope otherwise). */
  configDir?: string;
  /** Called when the page listens for open requests (Electron hands over held files then). */
  onReadyForOpenRequests?: () => void;
  /** Native dialogs, where the host has them (Electron). */
  dialogs?: Pick<ProfscopeApi, 'chooseFiles' | 'chooseFolder'>;
  /** Where captures are kept (the library); XDG data dir ~/.local/share/profscope otherwise. */
  dataDir?: string;
  /** Where kubeconfig is read from; KUBECONFIG or ~/.kube/config otherwise. */
  kubeconfig?: KubeconfigSource;
  /** Receives the live-attach service, so the host can shut its forwards down on quit. */
  onLive?: (live: LiveService) => void;
  /** Receives the file grants, so the host can add what the OS hands it (open-file, second launch). */
  onAccess?: (access: FileAccess) => void;
  /** The pool summarizeFiles decodes in; one on the bundled worker otherwise (tests build theirs). */
  summaryPool?: WorkerPool;
  /** Receives the summaries service (its pool, its count of files decoded). */
  onSummaries?: (summaries: SummaryService) => void;
}

/** What one readFileBatch may hold; the renderer also groups files by size. */
const MAX_BATCH_BYTES = 512 * 1024 ** 2;

export function defaultConfigDir(): string {
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'profscope');
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The contract's live-attach methods of a LiveService (everything but shutdown). */
function liveApiOf(live: LiveService): LiveApi {
  const api: Partial<LiveService> = { ...live };
  delete api.shutdown;
  return api as LiveApi;
}

/** The Node implementation of the API contract; main.ts and the HTTP server both front it. */
export function createServices(opts: ServiceOptions): ProfscopeApi {
  const sampleFiles = () => listProfileFolder(samplesDir());
  const recent = new RecentStore(join(opts.configDir ?? defaultConfigDir(), 'recent.json'));
  const dataDir = opts.dataDir ?? defaultDataDir();
  const live = createLiveService({
    dataDir,
    appVersion: packageVersion(),
    kubeconfig: opts.kubeconfig,
  });
  opts.onLive?.(live);
  // The library and the samples are always readable; everything else once the user chose it.
  const access = new FileAccess([join(dataDir, 'library'), samplesDir()], opts.mode === 'browser');
  opts.onAccess?.(access);
  const granted = (async () => {
    for (const p of opts.launchFiles) await access.grant(p);
    for (const item of await recent.list()) if (item.exists) await access.grant(item.path);
  })();
  /** The real path of a file the page may read. */
  const readable = async (path: string) => {
    await granted;
    return access.file(path);
  };
  // The cache beside the library, in the app's data folder (never readable through the API).
  const summaries = new SummaryService({
    cacheDir: join(dataDir, 'summaries'),
    pool: opts.summaryPool,
  });
  opts.onSummaries?.(summaries);
  const grantAll = async <T extends string | string[] | null>(chosen: T): Promise<T> => {
    for (const p of chosen === null ? [] : typeof chosen === 'string' ? [chosen] : chosen)
      await access.grant(p);
    return chosen;
  };
  return {
    ...liveApiOf(live),
    appInfo: () =>
      Promise.resolve({
        name: 'Profscope',
        version: packageVersion(),
        mode: opts.mode,
        platform: process.platform,
      }),
    initialFiles: async (): Promise<ProfileFileInfo[]> => {
      if (opts.launchFiles.length === 0) {
        const samples = await sampleFiles();
        return samples.filter((s) => /cpu/i.test(s.name)).slice(0, 1);
      }
      // A file that went missing is still reported, so the UI can name it in an error.
      return Promise.all(
        opts.launchFiles.map((p) =>
          fileInfo(p).catch(() => ({
            path: p,
            name: p.split(/[\\/]/).pop() ?? p,
            size: 0,
            mtimeMs: 0,
          })),
        ),
      );
    },
    readFile: async (path) => readProfileBytes(await readable(path)),
    fileInfo: async (path) => fileInfo(await readable(path)),
    readFileChunk: async (path, offset, length) =>
      readProfileChunk(await readable(path), offset, length),
    readyForOpenRequests: () => Promise.resolve(opts.onReadyForOpenRequests?.()),
    stageSpeedscopeProfile: (json) => Promise.resolve(speedscopeStage.stage(json)),
    releaseSpeedscopeProfile: (id) => Promise.resolve(speedscopeStage.release(id)),
    readFileBatch: async (paths) => {
      // One file after another, within a budget: a batch must not hold gigabytes at once.
      const items: BatchItem[] = [];
      let budget = MAX_BATCH_BYTES;
      for (const p of paths) {
        try {
          const real = await readable(p);
          const { size } = await fileInfo(real);
          if (size > budget && items.length > 0) {
            items.push({
              error: `${p}: left for the next batch (batch over ${MAX_BATCH_BYTES} bytes)`,
            });
            continue;
          }
          const bytes = await readProfileBytes(real);
          budget -= bytes.byteLength;
          items.push({ bytes });
        } catch (err) {
          items.push({ error: err instanceof Error ? err.message : String(err) });
        }
      }
      return packFileBatch(items);
    },
    summarizeFiles: (paths) => summaries.summarizeFiles(paths, readable),
    listFolder: async (path) => {
      await granted;
      return listProfileFolder(await access.folder(path));
    },
    sampleFiles,
    chooseFiles: async () => grantAll((await opts.dialogs?.chooseFiles()) ?? null),
    chooseFolder: async () => grantAll((await opts.dialogs?.chooseFolder()) ?? null),
    recentItems: () => recent.list(),
    addRecent: async (path, kind) => {
      await granted;
      // The recent list grants at the next start: it may only hold what the user opened.
      if (!(await access.granted(path, kind)))
        throw new ApiError('forbidden', `${path}: not something you opened`);
      return recent.add(path, kind);
    },
  };
}

/** Validates the arguments and runs one API method, turning any failure into an error envelope. */
export async function dispatch(
  services: ProfscopeApi,
  method: ApiMethod,
  rawArgs: unknown,
): Promise<ApiResult<unknown>> {
  try {
    const args = validateArgs(method, rawArgs);
    const fn = services[method].bind(services) as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn(...args) };
  } catch (err) {
    if (err instanceof ApiError)
      return { ok: false, error: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'io', message } };
  }
}
