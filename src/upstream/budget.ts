import { GatewayError } from '../domain/errors.js';

/**
 * How many upstream calls one GraphQL request may still cause
 * (`limits.maxUpstreamCallsPerRequest`). The upstream client spends one
 * before each call, outside the retry and breaker policy, so a request past
 * its budget fails its further loads with QUERY_TOO_COMPLEX without reaching
 * the provider and without counting against the provider's health.
 */
export class UpstreamBudget {
  private spent = 0;
  /**
   * One refusal for every call past the budget: an error each (with its stack)
   * cost a request over a 150,000-instance account seconds of CPU.
   */
  private refusal: GatewayError | null = null;

  constructor(readonly limit: number) {}

  /** Counts one upstream call, or refuses it when the budget is used up. */
  spend(): void {
    if (this.spent >= this.limit) throw this.refused();
    this.spent += 1;
  }

  /**
   * Refuses at once when `calls` more would pass the budget, before any is
   * made: a provider saying its list has 2e7 rows asked for 200,000 pages,
   * each made (and refused) one by one, a stall of seconds. Spends nothing:
   * each call still spends its own.
   */
  reserve(calls: number): void {
    if (this.spent + calls > this.limit) throw this.refused();
  }

  private refused(): GatewayError {
    return (this.refusal ??= new GatewayError('QUERY_TOO_COMPLEX', `this request needs more than ${this.limit} upstream calls (limits.maxUpstreamCallsPerRequest); ask for fewer items`));
  }
}
