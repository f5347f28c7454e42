/**
 * Request metrics of the load balancers in Prometheus text format. Hand-written rather than prom-client:
 * two metric families on the proxy's hot path, where a label lookup per request is all we can afford.
 */
const bucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

export interface BackendLabels {
  readonly account: string;
  readonly region: string;
  readonly loadBalancer: string;
  /** `none` for requests no server group answered (503 without a healthy backend). */
  readonly serverGroup: string;
}

class BackendSeries {
  readonly counts = new Map<string, number>();
  readonly buckets = new Array<number>(bucketsSeconds.length).fill(0);
  count = 0;
  sumSeconds = 0;

  constructor(readonly labels: BackendLabels) {}
}

function statusClass(status: number): string {
  return statusClasses[Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1]!;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: BackendLabels, extra = ''): string {
  const base = `account="${escapeLabel(labels.account)}",region="${escapeLabel(labels.region)}",load_balancer="${escapeLabel(labels.loadBalancer)}",server_group="${escapeLabel(labels.serverGroup)}"`;
  return `{${base}${extra}}`;
}

export class LoadBalancerMetrics {
  private readonly series = new Map<string, BackendSeries>();

  record(labels: BackendLabels, status: number, seconds: number): void {
    const series = this.seriesFor(labels);
    const cls = statusClass(status);
    series.counts.set(cls, (series.counts.get(cls) ?? 0) + 1);
    series.count += 1;
    series.sumSeconds += seconds;
    const bucket = bucketsSeconds.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) series.buckets[bucket]! += 1;
  }

  /** Requests counted elsewhere (HAProxy's own counters), without latencies. */
  addCount(labels: BackendLabels, statusClassName: string, count: number): void {
    if (count <= 0) return;
    const series = this.seriesFor(labels);
    series.counts.set(statusClassName, (series.counts.get(statusClassName) ?? 0) + count);
  }

  /** Forgets a removed load balancer's series. */
  forget(account: string, region: string, loadBalancer: string): void {
    for (const [key, series] of this.series) {
      const { labels } = series;
      if (labels.account === account && labels.region === region && labels.loadBalancer === loadBalancer) this.series.delete(key);
    }
  }

  private seriesFor(labels: BackendLabels): BackendSeries {
    const key = `${labels.account}\u0000${labels.region}\u0000${labels.loadBalancer}\u0000${labels.serverGroup}`;
    let series = this.series.get(key);
    if (!series) {
      series = new BackendSeries(labels);
      this.series.set(key, series);
    }
    return series;
  }

  render(): string {
    const lines = [
      '# HELP gennaker_lb_requests_total Requests proxied by a local-cloud load balancer, by server group and status class.',
      '# TYPE gennaker_lb_requests_total counter',
    ];
    for (const series of this.series.values()) {
      for (const [cls, count] of series.counts) lines.push(`gennaker_lb_requests_total${labelText(series.labels, `,code="${cls}"`)} ${count}`);
    }
    lines.push(
      '# HELP gennaker_lb_request_duration_seconds Time from a request reaching the load balancer to its response ending.',
      '# TYPE gennaker_lb_request_duration_seconds histogram',
    );
    for (const series of this.series.values()) {
      if (series.count === 0) continue;
      let cumulative = 0;
      bucketsSeconds.forEach((bound, index) => {
        cumulative += series.buckets[index]!;
        lines.push(`gennaker_lb_request_duration_seconds_bucket${labelText(series.labels, `,le="${bound}"`)} ${cumulative}`);
      });
      lines.push(`gennaker_lb_request_duration_seconds_bucket${labelText(series.labels, ',le="+Inf"')} ${series.count}`);
      lines.push(`gennaker_lb_request_duration_seconds_sum${labelText(series.labels)} ${series.sumSeconds}`);
      lines.push(`gennaker_lb_request_duration_seconds_count${labelText(series.labels)} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
