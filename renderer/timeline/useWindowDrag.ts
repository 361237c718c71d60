import { useEffect, useRef } from 'react';

export interface DragHandlers {
  move: (e: MouseEvent) => void;
  up: (e: MouseEvent) => void;
}

/**
 * A drag that started on an element and follows the pointer anywhere in the window until the
 * button is let go: leaving the chart (or the chart moving under a still pointer) must not end
 * it or leave it half done. The handlers are the latest render's, called through a ref.
 */
export function useWindowDrag(handlers: DragHandlers): () => void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);
  return () => {
    stop.current?.();
    const move = (e: MouseEvent) => latest.current.move(e);
    const up = (e: MouseEvent) => {
      stop.current?.();
      latest.current.up(e);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    stop.current = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      stop.current = null;
    };
  };
}
