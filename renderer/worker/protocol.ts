import type {
  ExportFormat,
  FlameTree,
  ProfileSummary,
  Sandwich,
  TopTable,
  ViewOptions,
} from '../model/types';

export interface OpenedProfile {
  profileId: number;
  summary: ProfileSummary;
}

/** Every operation the engine worker answers: its arguments and its result. */
export interface EngineOps {
  /** Decodes files (their names prefix any error) and keeps one profile: their merge if several. */
  open: { args: { files: Uint8Array[]; names: string[] }; result: OpenedProfile };
  /**
   * Decodes pods' files and merges them with each file's labels (context, namespace, pod) on
   * every sample, so the merge can be split again by tag (a triage group).
   */
  openLabelled: {
    args: { files: Uint8Array[]; names: string[]; labels: Record<string, string>[] };
    result: OpenedProfile;
  };
  /** Summaries of many files at once; a file that fails to decode gets its error in place. */
  flame: { args: { profileId: number; opts: ViewOptions; baseId?: number }; result: FlameTree };
  top: { args: { profileId: number; opts: ViewOptions; baseId?: number }; result: TopTable };
  sandwich: { args: { profileId: number; opts: ViewOptions; name: string }; result: Sandwich };
  /** The flame graph's search: the total of the samples with a matching frame (searchTotal). */
  searchTotal: { args: { profileId: number; opts: ViewOptions; regex: string }; result: number };
  export: {
    args: { profileId: number; opts: ViewOptions; format: ExportFormat; name: string };
    result: Uint8Array | string;
  };
  close: { args: { profileId: number }; result: null };
}

export type EngineOp = keyof EngineOps;

export interface EngineRequest<K extends EngineOp = EngineOp> {
  id: number;
  op: K;
  args: EngineOps[K]['args'];
}

/**
 * The page's first message to a worker it starts: the Web Lock to hold for as long as it lives,
 * so the page learns of its end (a crash, `self.close()`), which no Worker event reports; and
 * the first profile id to hand out, so ids of a restarted worker never match a dead one's.
 */
export interface EngineStart {
  lifeline: string;
  firstProfileId: number;
}

/** What the page sends the worker: a request, or that an earlier one (by id) is no longer wanted. */
export type EngineMessage = EngineRequest | { cancel: number } | EngineStart;

export type EngineResponse =
  /** The worker holds its lifeline lock: from now on its end releases it. */
  | { alive: string }
  | { id: number; progress: number }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };
