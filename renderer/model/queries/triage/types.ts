// The shapes triage works on. The engine may not import the app's contract (it runs in a
// worker and in the CLI alike): they are declared here, and electron/contract.ts re-exports
// BreakdownRule and PodSummary; its TriagePod has TriageRow's fields.

/** One category of CPU time: samples whose leaf-most matching frame matches `pattern` (Go regexp). */
export interface BreakdownRule {
  name: string;
  pattern: string;
}

export interface PodSummary {
  /** CPU seconds ÷ wall seconds of the CPU profile. */
  cpuCores: number | null;
  heapInuseBytes: number | null;
  goroutines: number | null;
  /** Function with the most CPU self time, and its share of the CPU profile. */
  topFunction: { name: string; share: number } | null;
  /** CPU nanoseconds per rule, in the rules' order, then 'other'. */
  breakdown: { rule: string; value: number }[] | null;
}

/** What the table logic reads of a triage's row (contract.ts's TriagePod). */
export interface TriageRow {
  context: string;
  namespace: string;
  pod: string;
  /** The workload's name: pods of one group are compared with each other. */
  group: string;
  summary: Pick<PodSummary, 'cpuCores' | 'heapInuseBytes' | 'goroutines'> | null;
}
