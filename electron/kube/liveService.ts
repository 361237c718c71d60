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
  | 'captureStatus'
  | 'cancelCapture'
  | 'listLibrary'
  | 'deleteCapture'
  | 'libraryDir'
  | 'startContinuous'
  | 'listContinuous'
  | 'stopContinuous'
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
}

export function createLiveService(opts: LiveOptions): LiveService {
  let loaded: LoadedKubeconfig | null = null;
  const load = () => (loaded = loadKubeconfigs(opts.kubeconfig));
  const kubeconfig = (context: string) => (loaded ?? load()).forContext(context);
  const forwards = new ForwardManager();
  const library = new Library(opts.dataDir);
  const deps: CaptureDeps = { kubeconfig, forwards, library, appVersion: opts.appVersion };
  const captures = new CaptureManager(deps);
  const continuous = new ContinuousManager(captures, library);

  return {
    // Read afresh each time, so an edited kubeconfig or a new KUBECONFIG file shows up.
    kubeContexts: () => Promise.resolve(load().info),
    kubeNamespaces: (context) => listNamespaces(kubeconfig(context)),
    kubePods: (context, namespace) => listPods(kubeconfig(context), namespace),
    pprofIndex: (target) => readIndex(deps, target),
    startForward: async (target) =>
      (await forwards.open(kubeconfig(target.context), target)).info(),
    listForwards: () => Promise.resolve(forwards.list()),
    stopForward: (id) => forwards.stop(id),
    startCapture: (req) => Promise.resolve(captures.start(req)),
    captureStatus: (id) => Promise.resolve(captures.status(id)),
    cancelCapture: (id) => Promise.resolve(captures.cancel(id)),
    listLibrary: () => library.list(),
    deleteCapture: (path) => library.remove(path),
    libraryDir: () => Promise.resolve(library.root),
    startContinuous: (req) => Promise.resolve(continuous.start(req)),
    listContinuous: () => Promise.resolve(continuous.list()),
    stopContinuous: (id) => continuous.stop(id),
    shutdown: async () => {
      captures.cancelAll();
      await continuous.stopAll();
      await forwards.stopAll();
    },
  };
}
