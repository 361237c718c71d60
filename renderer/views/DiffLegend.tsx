export function DiffLegend({ base }: { base: string }) {
  return (
    <div className="diff-legend" data-testid="diff-legend">
      <span className="swatch shrank" /> smaller share than in <strong>{base}</strong>
      <span className="swatch same" /> unchanged
      <span className="swatch grew" /> larger share (grew)
    </div>
  );
}
