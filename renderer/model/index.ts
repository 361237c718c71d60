// The profile engine's public API: pure TypeScript, no DOM or Node imports (runs in a worker).
export * from './types';
export { ProfileError, isProfileError } from './errors';
export type { ProfileErrorCode } from './errors';
export { decodeProfile, decodeProtobuf } from './decoding/decode';
export type { DecodeOptions } from './decoding/decode';
export { DEFAULT_MAX_INFLATED_BYTES } from './decoding/gunzip';
export type { ChunkReader, Gunzipper } from './decoding/gunzip';
export { Profile, summarize } from './profile/profile';
export { buildFlameTree } from './queries/flameTree';
export { topTable, pprofTop, compareTopRows } from './queries/top';
export type { TrimOptions, TrimmedTop } from './queries/top';
export { traces } from './queries/traces';
export type { Trace } from './queries/traces';
export { sandwich } from './queries/sandwich';
export { checkSameSampleTypes, mergeProfiles, negateProfile } from './profile/merge';
export { profileParts, profileFromParts } from './profile/transfer';
export type { ProfileParts } from './profile/transfer';
export { fileSummary } from './queries/fileSummary';
export type { FileSummary, FunctionTotals } from './queries/fileSummary';
export { markDiffBase } from './profile/diffBase';
export { normalizeProfile } from './profile/normalize';
export { compileRegexOption } from './queries/filters';
export { searchFrames, searchTotal } from './queries/search';
export { exportPprof } from './exports/exportPprof';
export { exportSpeedscope } from './exports/exportSpeedscope';
export { exportCollapsed } from './exports/exportCollapsed';
export {
  formatValue,
  formatValueShort,
  formatPercent,
  scaleValue,
  selectOutputUnit,
} from './format';
export * from './queries/triage/index';
