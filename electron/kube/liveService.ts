// The live-attach half of the API contract, as one object createServices spreads in.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProfscopeApi } from '../contract';
import { CaptureManager, readIndex, type CaptureDeps } from './capture';
import { ContinuousManager } from './continuous';
import { listNamespaces, listPods } from './discovery';
import { loadKubeconfigs, type KubeconfigSource, type LoadedKubeconfig } from './kubeconfig';
import { Library } from './library';
import { ForwardManager } from './portForward';
import { TriageManager } from './triage';

export type LiveApi = Pick<
  ProfscopeApi,
  | 'kubeContexts'
  | 'kubeNamespaces'
  | 'kubePods'
  | 'pprofIndex'
  | 'startForward'
  | 'listForwards'
  | 'stopForward'
  | 'startCapture'
  | 'startUrlCapture'
  | 'captureStatus'
  | 'cancelCapture'
  | 'listLibrary'
  | 'deleteCapture'
  | 'libraryDir'
  | 'startContinuous'
  | 'listContinuous'
  | 'stopContinuous'
  | 'startTriage'
  | 'triageStatus'
  | 'cancelTriage'
  | 'openTriage'
>;

export interface LiveService extends LiveApi {
  /** Stops every forward, capture and continuous job (app quit, tests). */
  shutdown(): Promise<void>;
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'profscope');
}

export interface LiveOptions {
  dataDir: string;
  appVersion: string;
  /** Where kubeconfig comes from (tests pass their own KUBECONFIG). */
  kubeconfig?: KubeconfigSource;
  /** Close a port-forward's listener after this long unused (default 5 minutes). */
  forwardIdleCloseMs?: number;
}

/** fn's result as a promise; a synchronous throw becomes a rejection. */
function settle<T>(fn: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

export function createLiveService(opts: LiveOptions): LiveService {
  let loaded: LoadedKubeconfig | null = null;
  const load = () => (loaded = loadKubeconfigs(opts.kubeconfig));
  const kubeconfig = (context: string) => (loaded ?? load()).forContext(context);
  const forwards = new ForwardManager({ idleCloseMs: opts.forwardIdleCloseMs });
  const library = new Library(opts.dataDir);
  const deps: CaptureDeps = { kubeconfig, forwards, library, appVersion: opts.appVersion };
  const captures = new CaptureManager(deps);
  const continuous = new ContinuousManager(captures, library);
  const triages = new TriageManager(deps);

  // Every method goes through settle(), so a throw (unknown context, unknown capture id) is a
  // rejected promise for the caller to handle, never a synchronous throw out of a
  // promise-returning call that a caller's .catch() would miss.
  return {
    // Read afresh each time, so an edited kubeconfig or a new KUBECONFIG file shows up.
    kubeContexts: () => settle(() => load().info),
    kubeNamespaces: (context) => settle(() => listNamespaces(kubeconfig(context))),
    kubePods: (context, namespace, selector) =>
      settle(() => listPods(kubeconfig(context), namespace, selector)),
    pprofIndex: (target) => settle(() => readIndex(deps, target)),
    startForward: async (target) =>
      (await forwards.open(kubeconfig(target.context), target)).info(),
    listForwards: () => settle(() => forwards.list()),
    stopForward: (id) => settle(() => forwards.stop(id)),
    startCapture: (req) => settle(() => captures.start(req)),
    startUrlCapture: (req) => settle(() => captures.startUrlCapture(req)),
    captureStatus: (id) => settle(() => captures.status(id)),
    cancelCapture: (id) => settle(() => captures.cancel(id)),
    listLibrary: () => settle(() => library.list()),
    deleteCapture: (path) => settle(() => library.remove(path)),
    libraryDir: () => settle(() => library.root),
    startContinuous: (req) => settle(() => continuous.start(req)),
    listContinuous: () => settle(() => continuous.list()),
    stopContinuous: (id) => settle(() => continuous.stop(id)),
    startTriage: (req) => settle(() => triages.start(req)),
    triageStatus: (id) => settle(() => triages.status(id)),
    cancelTriage: (id) => settle(() => triages.cancel(id)),
    openTriage: (dir, rules) => settle(() => triages.open(dir, rules)),
    // main.ts calls this as `void live.shutdown()` on quit: it must never reject, or the
    // failure would be an unhandled rejection in the main process.
    shutdown: async () => {
      try {
        captures.cancelAll();
      } catch {
        // Nothing to report on the way out.
      }
      await Promise.allSettled([continuous.stopAll(), triages.cancelAll()]);
      await Promise.allSettled([forwards.stopAll()]);
    },
  };
}
