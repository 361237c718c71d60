import { useEffect, useState } from 'react';

export interface EngineState<T> {
  data: T | null;
  error: string | null;
}

/**
 * Runs an engine request when `deps` change and keeps its latest answer. What an earlier
 * request answered is cleared at once, so a view never shows a result for other inputs
 * (a tree without its diff base, an error from another view).
 */
export function useEngine<T>(load: (() => Promise<T>) | null, deps: unknown[]): EngineState<T> {
  const [state, setState] = useState<EngineState<T>>({ data: null, error: null });
  useEffect(() => {
    setState({ data: null, error: null });
    if (!load) return;
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (err: unknown) =>
        live && setState({ data: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
    // The caller lists what the request depends on; `load` is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
