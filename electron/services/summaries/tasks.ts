// The work a pool worker does, and what it answers: a file's summary for the timeline, or a
// shard of the CLI's files decoded and merged. Plain Node and the engine, no Electron: the same
// code runs in the worker (summaryWorker.ts) and, when no worker bundle is at hand (the tests
// running from sources), on the calling thread.
import { readFile } from 'node:fs/promises';
import {
  ProfileError,
  decodeProfile,
  fileSummary,
  mergeProfiles,
  profileParts,
  type FileSummary,
  type Profile,
  type ProfileParts,
  type ValueType,
} from '../../../renderer/model/index';
import { nodeGunzip } from '../../nodeGunzip';

export interface SummarizeTask {
  kind: 'summarize';
  /** The file to read (its real path, after the access checks). */
  path: string;
  /** The file as the caller named it: errors say this. */
  name: string;
}

/** The summary, or why there is none, naming the file. */
export type SummarizeResult = { summary: FileSummary } | { error: string };

export interface MergeTask {
  kind: 'merge';
  /** Files decoded in this order and merged as one (a contiguous shard of the CLI's files). */
  paths: string[];
}

export type MergeResult =
  | {
      /** The shard merged; null when its files' sample types differ (nothing to merge). */
      parts: ProfileParts | null;
      /** Each file's sample types, in order: the caller checks them across shards. */
      types: ValueType[][];
    }
  | {
      /** The first file of the shard that could not be read or decoded. */
      failed: {
        path: string;
        /** 'read': the file system's error; 'profile': the engine's; 'internal': a bug. */
        kind: 'read' | 'profile' | 'internal';
        message: string;
      };
    };

export type Task = SummarizeTask | MergeTask;
export type ResultOf<T extends Task> = T extends SummarizeTask ? SummarizeResult : MergeResult;

/** A result and the buffers to move (not copy) with it to the calling thread. */
export interface Answer<R> {
  result: R;
  transfer: ArrayBuffer[];
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function summarize(task: SummarizeTask): Promise<Answer<SummarizeResult>> {
  try {
    const profile = await decodeProfile(await readFile(task.path), { gunzip: nodeGunzip });
    return { result: { summary: fileSummary(profile) }, transfer: [] };
  } catch (err) {
    return { result: { error: `${task.name}: ${messageOf(err)}` }, transfer: [] };
  }
}

async function merge(task: MergeTask): Promise<Answer<MergeResult>> {
  const profiles: Profile[] = [];
  for (const path of task.paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      return { result: { failed: { path, kind: 'read', message: messageOf(err) } }, transfer: [] };
    }
    try {
      profiles.push(await decodeProfile(bytes, { gunzip: nodeGunzip }));
    } catch (err) {
      const kind = err instanceof ProfileError ? 'profile' : 'internal';
      return { result: { failed: { path, kind, message: messageOf(err) } }, transfer: [] };
    }
  }
  const types = profiles.map((p) => p.sampleTypes);
  let merged: Profile;
  try {
    merged = mergeProfiles(profiles);
  } catch (err) {
    // Which file's types differ, and from what, is said by the caller over every shard.
    if (err instanceof ProfileError && err.code === 'incompatible')
      return { result: { parts: null, types }, transfer: [] };
    throw err;
  }
  const { parts, transfer } = profileParts(merged);
  return { result: { parts, types }, transfer };
}

export async function runTask<T extends Task>(task: T): Promise<Answer<ResultOf<T>>> {
  const answer = task.kind === 'summarize' ? await summarize(task) : await merge(task);
  return answer as Answer<ResultOf<T>>;
}
