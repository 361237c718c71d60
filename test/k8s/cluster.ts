// The fake cluster live tests run against: the real Go workload behind the fake API server,
// with a throwaway CA, in a fresh temp folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts, type TestCerts } from './certs';
import { fleetPods, kubeconfigFor, startFakeApiServer, type FakeApiServer } from './fakeApiServer';
import { buildWorkload, startWorkload } from './workload';

export interface FakeCluster {
  /** The temp folder: the CA is in it, and the test may put its own files there. */
  dir: string;
  certs: TestCerts;
  api: FakeApiServer;
  /** Writes a kubeconfig for the cluster (see kubeconfigFor) to `name` in `dir`; its path. */
  writeKubeconfig(name: string, opts?: Parameters<typeof kubeconfigFor>[2]): string;
  /** Stops the API server, then the workload. */
  close(): Promise<void>;
}

/** Builds and starts the workload and the API server serving Fleet's pods in front of it. */
export async function startFakeCluster(tmpPrefix: string): Promise<FakeCluster> {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const certs = makeCerts(dir);
  const workload = await startWorkload(await buildWorkload());
  let api: FakeApiServer;
  try {
    api = await startFakeApiServer({ certs, pods: fleetPods(workload) });
  } catch (e) {
    await workload.close();
    throw e;
  }
  return {
    dir,
    certs,
    api,
    writeKubeconfig(name, opts) {
      const file = join(dir, name);
      writeFileSync(file, kubeconfigFor(api, certs.caFile, opts));
      return file;
    },
    async close() {
      await api.close();
      await workload.close();
    },
  };
}
