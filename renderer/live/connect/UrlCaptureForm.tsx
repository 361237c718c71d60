// A capture from a pprof URL, as `go tool pprof URL` takes one: a process on this machine, or
// a `kubectl port-forward` already running. No cluster is involved.
import { useState } from 'react';
import {
  isUrlCaptureRequest,
  type CaptureKind,
  type UrlCaptureRequest,
} from '../../../electron/contract';
import { isTimed } from './connectState';
import { KindSelect, SecondsInput } from './CaptureForm';

export function UrlCaptureForm({ onCapture }: { onCapture: (r: UrlCaptureRequest) => void }) {
  const [url, setUrl] = useState('');
  const [kind, setKind] = useState<CaptureKind>('cpu');
  const [seconds, setSeconds] = useState(10);
  const request: UrlCaptureRequest = { url: url.trim(), kind, seconds };
  const valid = isUrlCaptureRequest(request);
  return (
    <form
      className="live-row live-capture"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onCapture(request);
      }}
    >
      <input
        className="live-search"
        data-testid="url-capture-url"
        aria-label="pprof URL"
        placeholder="http://127.0.0.1:6060/debug/pprof/…"
        title="A server serving /debug/pprof (host:port gets /debug/pprof/<kind>) or one profile's URL"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        aria-invalid={url.trim() !== '' && !valid}
      />
      <KindSelect testId="url-capture-kind" kind={kind} onKind={setKind} />
      {isTimed(kind, false) && (
        <SecondsInput testId="url-capture-seconds" seconds={seconds} onSeconds={setSeconds} />
      )}
      <button type="submit" data-testid="url-capture-button" disabled={!valid}>
        Capture URL
      </button>
    </form>
  );
}
