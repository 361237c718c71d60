// Triage: what each pod's profiles say, and how the pods compare.
export type { TriageRow } from './types';
export { DEFAULT_BREAKDOWN_RULES, OTHER_CATEGORY, compileBreakdownRules } from './rules';
export { cpuBreakdown, cpuSampleIndex, sampleTotal } from './breakdown';
export { podSummary } from './summary';
export type { PodProfiles } from './summary';
export {
  OUTLIER_FACTOR,
  OUTLIER_FLOOR,
  OUTLIER_MIN_GROUP,
  TRIAGE_METRICS,
  changeSince,
  median,
  metricOf,
  outlierText,
  outliers,
  podKey,
  triageGroups,
  triageOutliers,
} from './table';
export type { Outlier, PodChange, TriageGroup, TriageMetric } from './table';
export { mergeLabelled, withLabels } from './mergeLabelled';
export type { LabelledProfile } from './mergeLabelled';
