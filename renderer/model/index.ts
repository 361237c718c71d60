// The profile engine's public API: pure TypeScript, no DOM or Node imports (runs in a worker).
export * from './types';
export { ProfileError, isProfileError } from './errors';
export type { ProfileErrorCode } from './errors';
export { decodeProfile, decodeProtobuf } from './decode';
export type { DecodeOptions } from './decode';
export { DEFAULT_MAX_INFLATED_BYTES } from './gunzip';
export type { ChunkReader, Gunzipper } from './gunzip';
export { Profile, summarize } from './profile';
export { buildFlameTree } from './flameTree';
export { topTable, pprofTop, compareTopRows } from './top';
export type { TrimOptions, TrimmedTop } from './top';
export { sandwich } from './sandwich';
export { mergeProfiles, negateProfile } from './merge';
export { searchFrames, searchTotal } from './search';
export { exportPprof } from './exportPprof';
export { exportSpeedscope } from './exportSpeedscope';
export { exportCollapsed } from './exportCollapsed';
export {
  formatValue,
  formatValueShort,
  formatPercent,
  scaleValue,
  selectOutputUnit,
} from './format';
export * from './triage/index';
