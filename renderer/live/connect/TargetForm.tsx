// The focused pod: its containers with the pprof endpoints found on each, the port and path to
// use, and what the pod's /debug/pprof/ index offers there.
import { useState } from 'react';
import type { PodInfo, PodTarget, PprofEndpoint } from '../../../electron/contract';
import { api } from '../../api/api';

interface Props {
  pod: PodInfo;
  target: PodTarget;
  onEndpoint: (e: { container?: string; port?: number; pathPrefix?: string }) => void;
  fail: (err: unknown) => void;
}

export function TargetForm({ pod, target, onEndpoint, fail }: Props) {
  // The index answered for one target: shown only while that is still the target.
  const [index, setIndex] = useState<{ of: string; endpoints: PprofEndpoint[] } | null>(null);
  const targetKey = JSON.stringify(target);
  return (
    <section className="live-target" data-testid="pod-detail">
      <h3>{pod.name}</h3>
      {pod.containers.map((c) => (
        <div key={c.name} className="live-container">
          <strong>{c.name}</strong> <span className="muted">{c.image}</span>
          <div className="live-row">
            {c.candidates.map((cand) => (
              <button
                key={`${cand.port}${cand.pathPrefix}`}
                aria-pressed={
                  target.container === c.name &&
                  target.port === cand.port &&
                  target.pathPrefix === cand.pathPrefix
                }
                onClick={() =>
                  onEndpoint({ container: c.name, port: cand.port, pathPrefix: cand.pathPrefix })
                }
                title={cand.source}
              >
                {cand.label}
              </button>
            ))}
          </div>
        </div>
      ))}
      <div className="live-row">
        <label>
          Port{' '}
          <input
            data-testid="pprof-port"
            type="number"
            min={1}
            max={65535}
            value={target.port}
            onChange={(e) => onEndpoint({ port: Number(e.target.value) })}
          />
        </label>
        <label>
          Path{' '}
          <input
            data-testid="pprof-path"
            value={target.pathPrefix}
            onChange={(e) => onEndpoint({ pathPrefix: e.target.value })}
          />
        </label>
        <button
          onClick={() => {
            setIndex(null);
            api
              .pprofIndex(target)
              .then((endpoints) => setIndex({ of: targetKey, endpoints }), fail);
          }}
        >
          What does it offer?
        </button>
      </div>
      {index?.of === targetKey && (
        <p className="muted" data-testid="pprof-index">
          {index.endpoints
            .map((e) => `${e.name}${e.count !== null ? ` (${e.count})` : ''}`)
            .join(' · ')}
        </p>
      )}
    </section>
  );
}
