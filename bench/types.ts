/** One line of the benchmark table: our figure, the baseline measured in the same run, and the target. */
export interface BenchRow {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** undefined when the row has no pass/fail target. */
  isMet?: boolean;
}

/** A benchmark section; `full` asks for the full-size run (`npm run bench -- --full`). */
export type BenchSection = (opts: { full: boolean; log: (s: string) => void }) => Promise<BenchRow[]>;
