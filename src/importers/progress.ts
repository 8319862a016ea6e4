/**
 * A progress bar for imports: draws a cli-progress bar on a TTY (stderr), does nothing otherwise.
 *
 *   const bar = progressBar('payroll.csv');
 *   await importFile(path, { onProgress: bar.update });
 *   bar.stop();
 */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** Pass as `onProgress`. */
  update: (bytesRead: number, totalBytes: number) => void;
  stop: () => void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {done}/{all} MB | {eta_formatted}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    update(bytesRead, totalBytes) {
      if (!started) {
        bar.start(Math.max(totalBytes, 1), 0, { done: mb(0), all: mb(totalBytes) });
        started = true;
      }
      bar.update(bytesRead, { done: mb(bytesRead), all: mb(totalBytes) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
