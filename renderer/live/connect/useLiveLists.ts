// The main process's port-forwards and continuous captures, polled while the panel lives:
// every 250 ms while a capture runs (a forward opens or closes then), else every 2 s.
import { useEffect, useRef, useState } from 'react';
import type { ContinuousInfo, ForwardInfo } from '../../../electron/contract';
import { api } from '../../api/api';
import { startPolling } from '../poll';

export function useLiveLists(fast: boolean) {
  const [forwards, setForwards] = useState<ForwardInfo[]>([]);
  const [jobs, setJobs] = useState<ContinuousInfo[]>([]);
  const gate = useRef<Promise<void> | null>(null);
  useEffect(
    () =>
      startPolling(
        async (isLive) => {
          const [fw, js] = await Promise.all([
            api.listForwards().catch((): ForwardInfo[] => []),
            api.listContinuous().catch((): ContinuousInfo[] => []),
          ]);
          if (!isLive()) return;
          setForwards(fw);
          setJobs(js);
        },
        fast ? 250 : 2000,
        gate,
      ),
    [fast],
  );
  /** Drops a forward at once, not at the next tick (it was stopped from here). */
  const forget = (id: string) => setForwards((fs) => fs.filter((f) => f.id !== id));
  /** Shows a job just started before the next tick lists it. */
  const added = (job: ContinuousInfo) => setJobs((js) => [...js, job]);
  return { forwards, jobs, forget, added };
}
