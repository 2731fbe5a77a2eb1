/**
 * A gate a test puts in front of a simulator's handling of some requests, so the order in which
 * they reach the provider is the test's to choose, without sleeps: a held request is handled once
 * `release()` is called; `arrived` resolves when the first one comes.
 */
export class RequestHold {
  readonly arrived: Promise<void>;
  private readonly released: Promise<void>;
  private markArrived: () => void = () => {};
  private markReleased: () => void = () => {};

  constructor() {
    this.arrived = new Promise((resolve) => {
      this.markArrived = resolve;
    });
    this.released = new Promise((resolve) => {
      this.markReleased = resolve;
    });
  }

  /** For the simulator: a held request has come; resolves once it may be handled. */
  pass(): Promise<void> {
    this.markArrived();
    return this.released;
  }

  release(): void {
    this.markReleased();
  }
}
