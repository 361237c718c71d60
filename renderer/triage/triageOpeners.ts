import type { ProfileFileInfo } from '../../electron/contract';

/** A set of files opened as one tab (merged when several). */
export interface Merge {
  title: string;
  paths: string[];
}

/** How the triage table opens what a row points at, as tabs. */
export interface TriageOpeners {
  onOpenFile: (file: ProfileFileInfo) => void;
  /** With labels, one set per path, carried by every sample of that file. */
  onOpenMerged: (title: string, paths: string[], labels?: Record<string, string>[]) => void;
  /** `target` as a diff against `base`. */
  onOpenDiff: (base: Merge, target: Merge) => void;
}
