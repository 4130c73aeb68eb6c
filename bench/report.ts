import type { Workload } from './load';
import type { Measured } from './measure';

export type Results = Partial<Record<Workload, Record<'baseline' | 'service', Measured>>>;
export type Row = ReturnType<typeof reportRows>[number];

/** One row per workload: the service against the baseline, as bench/results.json records it. */
export function reportRows(workloads: Workload[], results: Results, targets: Partial<Record<Workload, number>>) {
  return workloads.map((workload) => {
    const { baseline, service } = results[workload]!;
    const ratio = service.rps / baseline.rps;
    const target = targets[workload];
    return {
      workload,
      serviceRps: Math.round(service.rps),
      baselineRps: Math.round(baseline.rps),
      ratio: Number(ratio.toFixed(2)),
      roundRatios: service.roundRps.map((rps, round) => Number((rps / baseline.roundRps[round]).toFixed(2))),
      target: target ?? null,
      meetsTarget: target === undefined ? null : ratio >= target && service.errors === 0,
      serviceP50Ms: service.p50,
      serviceP99Ms: service.p99,
      baselineP50Ms: baseline.p50,
      baselineP99Ms: baseline.p99,
      serviceErrors: service.errors,
      baselineErrors: baseline.errors,
      serviceStatusCodes: service.statusCodes,
      baselineStatusCodes: baseline.statusCodes,
      servicePeakRssMiB: service.peakRssMiB,
      baselinePeakRssMiB: baseline.peakRssMiB,
      serviceCpuUsPerRequest: service.cpuUsPerRequest,
      baselineCpuUsPerRequest: baseline.cpuUsPerRequest,
      cpuRatio: Number((service.cpuUsPerRequest / baseline.cpuUsPerRequest).toFixed(2)),
      p99Ratio: Number((service.p99 / Math.max(1, baseline.p99)).toFixed(2)),
    };
  });
}

export function printTable(rows: Row[]): void {
  console.table(
    rows.map((r) => ({
      workload: r.workload,
      'req/s': r.serviceRps,
      'baseline req/s': r.baselineRps,
      ratio: r.ratio,
      target: r.target ?? '',
      'p50 ms': r.serviceP50Ms,
      'p99 ms (base)': `${r.serviceP99Ms} (${r.baselineP99Ms})`,
      'CPU µs/req (base)': `${r.serviceCpuUsPerRequest} (${r.baselineCpuUsPerRequest})`,
      'CPU ×': r.cpuRatio,
      errors: r.serviceErrors,
      'peak RSS MiB (base)': `${r.servicePeakRssMiB} (${r.baselinePeakRssMiB})`,
    })),
  );
}
