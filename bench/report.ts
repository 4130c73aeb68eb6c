import type { LimitedMemory } from './cgroup';
import type { Workload } from './load';
import type { Measured } from './measure';

/** service-limited: the same build as service, inside the memory limit. */
export const TARGET_NAMES = ['baseline', 'baseline-sdk', 'service', 'service-limited'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
/**
 * Per workload: the service, the node:crypto baseline, for session workloads the SDK baseline,
 * and the service inside the memory limit when one could be set.
 */
export type Results = Partial<
  Record<
    Workload,
    Record<'baseline' | 'service', Measured> & { 'baseline-sdk'?: Measured; 'service-limited'?: Measured }
  >
>;
export type Row = ReturnType<typeof reportRows>[number];

/** One row per workload: the service against the baseline, as bench/results.json records it. */
export function reportRows(
  workloads: Workload[],
  results: Results,
  targets: Partial<Record<Workload, number>>,
  limits: Partial<Record<Workload, LimitedMemory>> = {},
) {
  return workloads.map((workload) => {
    const { baseline, service, 'baseline-sdk': sdk, 'service-limited': limited } = results[workload]!;
    const memory = limits[workload];
    const limitedRatio = limited ? limited.rps / service.rps : null;
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
      // The same build inside the memory limit, against itself unconstrained (goal: ≥ 0.9, no error, no OOM kill).
      limitMiB: memory?.limitMiB ?? null,
      limitedRps: limited ? Math.round(limited.rps) : null,
      limitedRatio: limitedRatio === null ? null : Number(limitedRatio.toFixed(2)),
      limitedRoundRatios:
        limited?.roundRps.map((rps, round) => Number((rps / service.roundRps[round]).toFixed(2))) ?? null,
      limitedErrors: limited?.errors ?? null,
      limitedStatusCodes: limited?.statusCodes ?? null,
      limitedCpuUsPerRequest: limited?.cpuUsPerRequest ?? null,
      limitedPeakRssMiB: limited?.peakRssMiB ?? null,
      limitedCgroupPeakMiB: memory?.peakMiB ?? null,
      limitedFailcnt: memory?.failcnt ?? null,
      limitedOomKills: memory?.oomKills ?? null,
      limitedMeetsTarget:
        limited && memory ? limitedRatio! >= 0.9 && limited.errors === 0 && memory.oomKills === 0 : null,
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
      'in the limit: ratio, errors, OOM kills, peak MiB':
        r.limitedRatio === null
          ? ''
          : `${r.limitedRatio}, ${r.limitedErrors}, ${r.limitedOomKills}, ${r.limitedCgroupPeakMiB}`,
    })),
  );
}
