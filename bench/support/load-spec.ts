/** What bench/support/paced-load.ts is asked to send and what it reports. */

/** One kind of request in the mix: chosen with probability weight / total weight, its variants in turn. */
export interface LoadRequest {
  readonly name: string;
  readonly weight: number;
  readonly variants: readonly { readonly method: string; readonly path: string; readonly body?: unknown }[];
}

export interface LoadSpec {
  /** Paths resolve against it; absolute URLs in variants need none. */
  readonly baseUrl?: string;
  readonly rate: number;
  readonly durationMs: number;
  readonly connections: number;
  readonly requests: readonly LoadRequest[];
  /** Sent with every request, e.g. the API token. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadOutcome {
  sent: number;
  completed: number;
  errors: number;
  non2xx: number;
  /** Of the 2xx answers, ms from the scheduled send to the end of the response. */
  latencies: number[];
}

export interface LoadReport extends LoadOutcome {
  readonly achievedRps: number;
  readonly byRequest: Record<string, LoadOutcome>;
}
