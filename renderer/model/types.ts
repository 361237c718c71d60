// The public shapes of the profile engine. Pure data: everything here can cross a
// worker boundary with structured clone (typed arrays are transferred).

export interface ValueType {
  type: string;
  unit: string;
}

/** What the UI and the CLI header need to know about a decoded profile. */
export interface ProfileSummary {
  sampleTypes: ValueType[];
  /** pprof's choice: default_sample_type if set, else the last sample type. */
  defaultSampleIndex: number;
  periodType: ValueType | null;
  period: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  sampleCount: number;
  /** Sum of every sample's value, one entry per sample type. */
  totals: number[];
  /** Label keys seen on samples (string and numeric), for tag filters. */
  labelKeys: string[];
  /** Main mapping's file name, like pprof's "File:" header line, or "". */
  mainBinary: string;
}

/** pprof's granularities; filefunctions is a function with its file ("main.f /src/main.go"). */
export type Granularity = 'functions' | 'filefunctions' | 'lines' | 'files' | 'addresses';

/** How to look at a profile: pprof's options of the same names. Regexes are sources. */
export interface ViewOptions {
  sampleIndex?: number;
  granularity?: Granularity;
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  /** "key=value" or "key=v1,v2": keep samples carrying one of the values. */
  tagFocus?: string;
  tagIgnore?: string;
  /**
   * pprof's -show_from: a sample's frames above (callers of) its rootmost match are dropped, and
   * samples without a match with them; in the matching location, inlined callers of the match too.
   */
  showFrom?: string;
  /** pprof's -noinlines: a location is its outermost function alone (inlined callees folded into it). */
  noInlines?: boolean;
  /**
   * pprof's -tagroot / -tagleaf: label keys whose values become frames above a sample's root /
   * below its leaf (first key rootmost, last key leafmost), before any filter.
   */
  tagRoot?: string[];
  tagLeaf?: string[];
  /** Drop nodes narrower than this fraction of the root from the flame tree (display only; totals kept). */
  pruneFraction?: number;
  /**
   * A range of the flame tree's value axis (as FlameTree.start) where nodes are kept down to
   * its own, smaller pruneFraction (of the root): what a zoomed-in flame graph shows. Every node
   * of positive total keeps its place (those of negative total are drawn zero wide).
   */
  detail?: { start: number; end: number; pruneFraction: number };
}

/**
 * A call tree laid out for a flame graph. Node 0 is the root (frame -1).
 * Nodes are in preorder; siblings sorted by total descending (left-heavy), so the subtree
 * of node i is the contiguous range [i, i + subtreeSize[i]).
 */
export interface FlameTree {
  names: string[];
  files: string[];
  lines: number[];
  frame: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  subtreeSize: Int32Array;
  /** Left edge of the node in value units from the root's left edge. */
  start: Float64Array;
  total: Float64Array;
  self: Float64Array;
  /** Present on diff trees: the base profile's values for the same path (0 where absent). */
  baseTotal?: Float64Array;
  baseSelf?: Float64Array;
  maxDepth: number;
  sampleType: ValueType;
  /** Root total (after filters); equals the sum of the samples kept. */
  grandTotal: number;
  baseGrandTotal?: number;
}

export interface TopRow {
  name: string;
  file: string;
  flat: number;
  cum: number;
  /** With a base: the base's flat and cum for the same name. */
  baseFlat?: number;
  baseCum?: number;
  /** As pprof's -top marks it: every call into this frame was inlined ('inline') or only some were. */
  inlineLabel?: 'inline' | 'partial-inline';
}

export interface TopTable {
  sampleType: ValueType;
  /**
   * The denominator of flat% and cum%: as `go tool pprof`, the sum of |value| over all samples
   * before focus/ignore/tag filters (pprof computes the report total before applying them).
   */
  total: number;
  /** Sum of the values of the samples the filters kept. */
  keptTotal?: number;
  /** With a base: the base profile's total, computed the same way. */
  baseTotal?: number;
  /** Sorted as `go tool pprof -top`: |flat| desc, then name asc, then |cum| desc. */
  rows: TopRow[];
}

export interface Sandwich {
  name: string;
  /** Callers of `name`, inverted: root is `name`, children are its callers. */
  callers: FlameTree;
  /** Callees of `name`: root is `name`. */
  callees: FlameTree;
  self: number;
  total: number;
}

export type ExportFormat = 'pprof' | 'speedscope' | 'collapsed';
