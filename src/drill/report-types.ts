/**
 * A drill's report as data: what the terminal summary, `--json` and the HTML page all show.
 * Times are epoch ms of scenario time; latencies are scenario ms. `version` changes when a
 * field changes meaning, so CI scripts reading the JSON can tell.
 */

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What the clients of one pass saw over a stretch of time. */
export interface PassStats {
  requests: number;
  ok: number;
  /** ok / requests (1 with no requests). */
  successRate: number;
  /** Streams that succeeded: time to the first text. */
  ttft: Percentiles;
  /** Requests that succeeded: time to the whole answer. */
  total: Percentiles;
  /** Upstream requests per client request (amplification): retries, failovers, resumes, SDK retries. */
  attemptsPerRequest: number;
  /** Requests that tried more than one provider. */
  failovers: number;
  /** Streams the gateway continued on another target after they broke. */
  resumed: number;
  /** Requests answered with an error without any upstream attempt (the gateway shed them). */
  shed: number;
  /** Why requests failed, most frequent first. */
  failures: { reason: string; count: number }[];
}

export interface ProviderPhaseStats {
  provider: string;
  /** Highest load (everyone's concurrent requests, with this drill's) seen by a request, gateway pass. */
  peakLoad: number;
  /** Lowest capacity in the phase; absent when unlimited. */
  capacity?: number;
  /** The provider's over-capacity answers to the gateway's requests. */
  overCapacity: number;
  /** Upstream requests the gateway sent it. */
  attempts: number;
}

export interface PhaseReport {
  name: string;
  start: number;
  end: number;
  gateway: PassStats;
  baseline?: PassStats;
  providers: ProviderPhaseStats[];
  /** Most requests waiting in the gateway's capacity queue at once (sampled). */
  queuedPeak: number;
}

export interface IncidentReport {
  provider: string;
  components: string[];
  title: string;
  impact: string;
  openedAt: number;
  resolvedAt?: number;
  /** Phase the incident opened in. */
  phase: string;
  /** From the start of the provider's failing stretch (per the scenario) to the incident. */
  detectionDelayMs?: number;
}

export interface SeriesPoint {
  at: number;
  gateway: { requests: number; ok: number; ttftP50: number | null; ttftP95: number | null; attempts: number };
  baseline?: { requests: number; ok: number; ttftP50: number | null; ttftP95: number | null; attempts: number };
  /** Successful answers by the provider that started them (gateway pass). */
  servedBy: Record<string, number>;
}

export interface LoadPoint {
  at: number;
  providers: Record<string, { load: number; capacity?: number }>;
  queued: number;
}

export interface DrillReport {
  version: 1;
  scenario: { name: string; title: string; source?: string; seed: number; start: number; end: number; assumptions: string[]; phases: { name: string; start: number; end: number }[] };
  config: {
    source: string;
    aliases: string[];
    providers: { name: string; type: string; playedBy: string; models: string[]; baselineClient?: string }[];
  };
  /** Wall ms each pass worked (not counted as scenario time); a tick's worth of scenario ms is the latencies' resolution. */
  run: { speed: number; wallMs: number; tickScenarioMs: number; busyMs: number; baselineBusyMs?: number; requests: number; baselineSkipped?: string };
  overall: { gateway: PassStats; baseline?: PassStats };
  phases: PhaseReport[];
  incidents: IncidentReport[];
  series: { bucketMs: number; points: SeriesPoint[]; load: LoadPoint[] };
}
