import type { Workload } from './load';
import type { Measured } from './measure';

export const TARGET_NAMES = ['baseline', 'baseline-sdk', 'service'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
/** Per workload: the service, the node:crypto baseline and, for session workloads, the SDK baseline. */
export type Results = Partial<
  Record<Workload, Record<'baseline' | 'service', Measured> & { 'baseline-sdk'?: Measured }>
>;
export type Row = ReturnType<typeof reportRows>[number];

/** One row per workload: the service against the baseline, as bench/results.json records it. */
export function reportRows(workloads: Workload[], results: Results, targets: Partial<Record<Workload, number>>) {
  return workloads.map((workload) => {
    const { baseline, service, 'baseline-sdk': sdk } = results[workload]!;
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
      // Against the same handler verifying with @clerk/backend's verifyToken (session workloads).
      sdkBaselineRps: sdk ? Math.round(sdk.rps) : null,
      sdkRatio: sdk ? Number((service.rps / sdk.rps).toFixed(2)) : null,
      sdkBaselineCpuUsPerRequest: sdk?.cpuUsPerRequest ?? null,
      sdkCpuRatio: sdk ? Number((service.cpuUsPerRequest / sdk.cpuUsPerRequest).toFixed(2)) : null,
      sdkBaselineErrors: sdk?.errors ?? null,
      sdkBaselineStatusCodes: sdk?.statusCodes ?? null,
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
      'ratio vs SDK (CPU ×)': r.sdkRatio === null ? '' : `${r.sdkRatio} (${r.sdkCpuRatio})`,
      errors: r.serviceErrors,
      'peak RSS MiB (base)': `${r.servicePeakRssMiB} (${r.baselinePeakRssMiB})`,
    })),
  );
}
