import { useState } from 'react';

const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ + O', 'Open profile files'],
  ['Ctrl/⌘ + Shift + O', 'Open a folder of continuous profiles'],
  ['Click a frame', 'Zoom into it (breadcrumbs zoom back out)'],
  ['Double-click a frame', 'Open the function in the sandwich view'],
  ['Drag', 'Pan the flame graph'],
  ['Ctrl/⌘ + wheel, pinch, + / −', 'Zoom'],
  ['← / →, Shift + wheel', 'Pan'],
  ['r or Esc', 'Reset zoom'],
  ['Double-click a top-table row', 'Focus the flame graph on that function'],
  ['?', 'This help'],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const [license, setLicense] = useState<string | null>(null);
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, v]) => (
              <tr key={k}>
                <th>
                  <kbd>{k}</kbd>
                </th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Third-party notices</h3>
        <p className="muted">
          Profscope embeds speedscope (MIT license, © Jamie Wong).{' '}
          <button
            onClick={() =>
              void fetch('./speedscope-license.txt')
                .then((r) => r.text())
                .then(setLicense)
            }
          >
            Show license
          </button>
        </p>
        {license && <pre className="license">{license}</pre>}
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
