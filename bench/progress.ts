/**
 * One line to stderr per phase of a long bench, with the seconds since it started: stdout holds
 * only the results (often piped into a file), and a bench that runs for minutes in silence reads
 * as a hung one (bench:startup printed nothing for minutes after its build).
 */
export function progress(bench: string, stream: NodeJS.WritableStream = process.stderr): (step: string) => void {
  const started = performance.now();
  return (step) => {
    stream.write(`${bench} [${((performance.now() - started) / 1000).toFixed(0)} s] ${step}\n`);
  };
}
