/** Kept for callers of the old module: progress now lives in src/cli/output/progress*.ts. */

export { type ProgressSink, progressSink } from '../output/progress.js';
export { formatBytes } from '../output/progress-format.js';
