/**
 * The mutations this process is running, each with the audit line it writes if it never ends.
 * A mutation writes its audit line when it ends; one the drain timeout cuts ends after the
 * process has exited, so without this its line was never written, though the provider may
 * have acted on it (docs/operations.md, "Logs": one line for every attempt).
 */
export class MutationsRunning {
  private readonly cutLines = new Set<() => void>();

  /** Registers a running mutation's cut line; the returned function forgets it once its own line is written. */
  add(writeCutLine: () => void): () => void {
    this.cutLines.add(writeCutLine);
    return () => void this.cutLines.delete(writeCutLine);
  }

  /** Once the drain has cut what was still running: writes each such mutation's line. Says how many. */
  auditCut(): number {
    const cut = [...this.cutLines];
    this.cutLines.clear();
    for (const writeCutLine of cut) writeCutLine();
    return cut.length;
  }
}
