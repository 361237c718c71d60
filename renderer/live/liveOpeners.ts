import type { ProfileFileInfo } from '../../electron/contract';
import type { Merge } from '../triage/triageOpeners';

/** How the live panels hand what they fetched to the tabs. */
export interface LiveOpeners {
  onOpenFile: (file: ProfileFileInfo) => void;
  onOpenMerged: (title: string, paths: string[]) => void;
  onOpenFolder: (path: string) => void;
  /** `target` as a diff against `base` (two tabs: the base, then the diff). */
  onOpenDiff: (base: Merge, target: Merge) => void;
  /** A triage's table in a tab: a running one by id, a saved one by its folder. */
  onOpenTriage: (title: string, source: { id: string | null; dir: string | null }) => void;
}
