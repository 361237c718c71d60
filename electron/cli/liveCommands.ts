// `profscope capture` and `profscope triage`: live attach from the command line (also run as
// the kubectl plugin `kubectl profscope`). Flags as kubectl spells them (--context, -n, -A,
// -l) and its defaults: the current context, that context's namespace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import {
  CAPTURE_KINDS,
  type CaptureKind,
  type CaptureRequest,
  type PodInfo,
  type TriageRequest,
  type TriageScope,
  type TriageStatus,
} from '../contract';
import { CaptureManager, type CaptureDeps } from '../kube/capture';
import { fleetFileName } from '../kube/continuous';
import { contextNamespace, listPods, podInfo, readPod } from '../kube/discovery';
import { loadKubeconfigs, type KubeconfigSource } from '../kube/kubeconfig';
import { Library } from '../kube/library';
import { defaultDataDir } from '../kube/liveService';
import { ForwardManager } from '../kube/portForward';
import { runTriage } from '../kube/triage';
import { DEFAULT_BREAKDOWN_RULES } from '../../renderer/model/index';
import { triageTableText, triageJson } from './triageReport';

type Writer = (s: string) => void;

export class LiveUsageError extends Error {}

export const CAPTURE_USAGE = `profscope capture [--context NAME] [-n NAMESPACE] (POD | -l SELECTOR | URL) --kind KIND
                  [--seconds N] [--port N] [--path PREFIX] [-o DIR]`;
export const TRIAGE_USAGE = `profscope triage [--context NAME ... | --all-contexts] [-n NAMESPACE | -A] [-l SELECTOR]
                 [--kinds cpu,heap,goroutine] [--seconds N] [--port N] [--path PREFIX] [-o DIR] [--json]`;

export interface LiveCliEnv {
  out: Writer;
  err: Writer;
  kubeconfig?: KubeconfigSource;
  dataDir?: string;
  appVersion: string;
  signal?: AbortSignal;
}

const COMMON = {
  context: { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n' },
  selector: { type: 'string', short: 'l' },
  seconds: { type: 'string' },
  port: { type: 'string' },
  path: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new LiveUsageError(e instanceof Error ? e.message : String(e));
  }
}

function intFlag(v: string | undefined, name: string, min: number, max: number): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new LiveUsageError(`--${name} must be a whole number from ${min} to ${max}, not "${v}"`);
  return n;
}

function kindFlag(v: string): CaptureKind {
  if (!(CAPTURE_KINDS as readonly string[]).includes(v))
    throw new LiveUsageError(`unknown kind "${v}"; one of ${CAPTURE_KINDS.join(', ')}`);
  return v as CaptureKind;
}

function pathFlag(v: string | undefined): string | null {
  if (v === undefined) return null;
  if (!v.startsWith('/')) throw new LiveUsageError(`--path must start with /, not "${v}"`);
  return v.replace(/\/+$/, '');
}

interface Live {
  deps: CaptureDeps;
  captures: CaptureManager;
  currentContext: string | null;
  contexts: string[];
  close(): Promise<void>;
}

function connect(env: LiveCliEnv): Live {
  const loaded = loadKubeconfigs(env.kubeconfig);
  const forwards = new ForwardManager();
  const deps: CaptureDeps = {
    kubeconfig: (context) => loaded.forContext(context),
    forwards,
    library: new Library(env.dataDir ?? defaultDataDir()),
    appVersion: env.appVersion,
  };
  for (const w of loaded.info.warnings) env.err(`warning: ${w}\n`);
  return {
    deps,
    captures: new CaptureManager(deps),
    currentContext: loaded.info.current,
    contexts: loaded.info.contexts.map((c) => c.name),
    close: () => forwards.stopAll(),
  };
}

function pickContext(live: Live, flag: string[] | undefined): string {
  if (flag && flag.length > 1) throw new LiveUsageError('capture takes one --context');
  const name = flag?.[0] ?? live.currentContext;
  if (!name)
    throw new LiveUsageError('no current context in kubeconfig: name one with --context NAME');
  if (!live.contexts.includes(name))
    throw new LiveUsageError(`no kubeconfig context named "${name}"`);
  return name;
}

/** `profscope capture`: one profile from a pod, every pod a selector matches, or a URL. */
export async function runCapture(args: string[], env: LiveCliEnv): Promise<void> {
  const { values, positionals } = parse(args, { ...COMMON, kind: { type: 'string' } });
  const kind = kindFlag(values.kind ?? 'cpu');
  const seconds = intFlag(values.seconds, 'seconds', 1, 3600) ?? 30;
  const outDir = values.output ? resolve(values.output) : undefined;
  const signal = env.signal ?? new AbortController().signal;
  if (positionals.length > 1) throw new LiveUsageError(`one POD or URL, not ${positionals.length}`);
  const target = positionals[0];
  if (target && /^https?:\/\//i.test(target)) {
    if (values.selector || values.namespace || values.context)
      throw new LiveUsageError('a URL capture takes no --context, -n or -l');
    const live = connect(env);
    try {
      const entry = await live.captures.runUrl({ url: target, kind, seconds }, signal, outDir);
      env.out(`${entry.path}\n`);
    } finally {
      await live.close();
    }
    return;
  }
  if (!target && !values.selector) throw new LiveUsageError('name a POD, -l SELECTOR or a URL');
  if (target && values.selector) throw new LiveUsageError('a POD or -l SELECTOR, not both');
  const live = connect(env);
  try {
    const context = pickContext(live, values.context);
    const kc = live.deps.kubeconfig(context);
    const namespace = values.namespace ?? contextNamespace(kc);
    const pods: PodInfo[] = target
      ? [podInfo(await readPod(kc, namespace, target))]
      : (await listPods(kc, namespace, values.selector ?? '')).pods;
    if (pods.length === 0)
      throw new LiveUsageError(`no pods match ${values.selector} in namespace ${namespace}`);
    const port = intFlag(values.port, 'port', 1, 65535);
    const pathPrefix = pathFlag(values.path);
    let failed = 0;
    await Promise.all(
      pods.map(async (pod) => {
        const candidate = pod.containers[0]?.candidates[0];
        const req: CaptureRequest = {
          context,
          namespace: pod.namespace,
          pod: pod.name,
          container: pod.containers[0]?.name ?? null,
          port: port ?? candidate?.port ?? 6060,
          pathPrefix: pathPrefix ?? candidate?.pathPrefix ?? '/debug/pprof',
          kind,
          seconds,
          delta: false,
        };
        if (kind === 'cpu' || kind === 'trace')
          env.err(`capturing ${kind} of ${pod.namespace}/${pod.name} for ${seconds} s…\n`);
        try {
          const entry = await live.captures.run(
            req,
            signal,
            fleetFileName(Date.now(), pod.workload, kind),
            outDir,
          );
          env.out(`${entry.path}\n`);
        } catch (e) {
          failed++;
          env.err(`${pod.namespace}/${pod.name}: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }),
    );
    if (failed > 0) throw new Error(`${failed} of ${pods.length} captures failed`);
  } finally {
    await live.close();
  }
}

/** `profscope triage`: every chosen pod of every chosen context, captured at once, as a table. */
export async function runTriageCommand(args: string[], env: LiveCliEnv): Promise<void> {
  const { values, positionals } = parse(args, {
    ...COMMON,
    'all-contexts': { type: 'boolean' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    kinds: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new LiveUsageError(`unexpected argument ${positionals[0]}`);
  if (values['all-contexts'] && values.context)
    throw new LiveUsageError('--context or --all-contexts, not both');
  if (values['all-namespaces'] && values.namespace) throw new LiveUsageError('-n or -A, not both');
  const kinds = (values.kinds ?? 'cpu,heap,goroutine').split(',').filter(Boolean).map(kindFlag);
  if (kinds.length === 0) throw new LiveUsageError('--kinds names no kind');
  const live = connect(env);
  try {
    const contexts = values['all-contexts']
      ? live.contexts
      : (values.context ?? [pickContext(live, undefined)]);
    for (const c of contexts)
      if (!live.contexts.includes(c))
        throw new LiveUsageError(`no kubeconfig context named "${c}"`);
    const namespace = values['all-namespaces'] ? '' : (values.namespace ?? null);
    const scopes: TriageScope[] = contexts.map((context) => ({
      context,
      namespace,
      selector: values.selector ?? '',
      names: [],
    }));
    const req: TriageRequest = {
      scopes,
      kinds: [...new Set(kinds)],
      seconds: intFlag(values.seconds, 'seconds', 1, 3600) ?? 10,
      port: intFlag(values.port, 'port', 1, 65535),
      pathPrefix: pathFlag(values.path),
      rules: DEFAULT_BREAKDOWN_RULES,
    };
    if (!values.json)
      env.err(
        `triage of ${contexts.length} context${contexts.length === 1 ? '' : 's'}: ${kinds.join(', ')}` +
          `${kinds.includes('cpu') ? ` (CPU for ${req.seconds} s)` : ''}…\n`,
      );
    const status: TriageStatus = await runTriage(live.deps, req, {
      signal: env.signal,
      outDir: values.output ? resolve(values.output) : undefined,
    });
    env.out(
      values.json ? `${JSON.stringify(triageJson(status), null, 2)}\n` : triageTableText(status),
    );
    if (status.pods.length === 0 && status.scopeErrors.length > 0)
      throw new Error('no pod could be listed');
  } finally {
    await live.close();
  }
}
