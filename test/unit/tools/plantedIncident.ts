import { gzipSync } from 'node:zlib';

/** 2026-11-20 at `hh:mm:ss`, UTC, as epoch ms. */
export const at = (hms: string): number => Date.parse(`2026-11-20T${hms}Z`);
const stamp = (ms: number) => new Date(ms).toISOString();

export interface PlantedIncident {
  files: Record<string, string | Buffer>;
  /** 1-based line numbers in logs/app.log of the lines the tests point at. */
  lines: { firstCharge: number; lastHeartbeat: number };
  counts: { charges: number; heartbeats: number; surgeBaseline: number; surgeIncident: number };
}

/**
 * A service log from 13:00 to 15:00 with an incident at 14:00, its first half hour rotated into
 * logs/app.log.1.gz. Planted: a steady background of requests and of a known error (in the
 * baseline only in the gzipped rotation, so a reader that skips it would call the error new), a
 * heartbeat that stops at 14:00, a warning that goes from every 10 minutes to every 30 seconds,
 * and, from 14:04, a new error with a stack trace. Two lines are out of time order: the first
 * new error (14:04:00) is written at the very end of the file, and a last heartbeat (13:59:30)
 * among the lines of 14:10.
 */
export function plantedIncident(): PlantedIncident {
  const rotated: string[] = [];
  const current: string[] = [];
  const counts = { charges: 1, heartbeats: 1, surgeBaseline: 0, surgeIncident: 0 };
  let lastHeartbeat = 0;
  for (let ms = at('13:00:00'); ms < at('15:00:00'); ms += 10_000) {
    const out = ms < at('13:30:00') ? rotated : current;
    const s = (ms - at('13:00:00')) / 1000;
    const t = stamp(ms);
    out.push(`${t} INFO [api] request served in ${(s * 7) % 300}ms for user u-${s}`);
    if (ms < at('14:00:00') && s % 60 === 0) {
      out.push(`${t} INFO [scheduler] heartbeat ok`);
      counts.heartbeats++;
    }
    const knownError = (ms < at('13:30:00') || ms >= at('14:00:00')) && s % 120 === 0;
    if (knownError) out.push(`${t} ERROR [payments] payment retry scheduled for order ${9000 + s}`);
    if (s % (ms < at('14:00:00') ? 600 : 30) === 0) {
      out.push(`${t} WARN [gateway] upstream latency high in region eu-west-${s % 3} p99=${800 + s}ms`);
      if (ms < at('14:00:00')) counts.surgeBaseline++;
      else counts.surgeIncident++;
    }
    if (ms >= at('14:05:30') && s % 20 === 10) {
      out.push(`${t} ERROR [payments] charge declined: gateway acme returned ${500 + (s % 4)}`, '    at com.shop.Gateway.charge(Gateway.java:88)', '    at com.shop.Checkout.pay(Checkout.java:41)');
      counts.charges++;
    }
    if (ms === at('14:10:00')) {
      current.push(`${stamp(at('13:59:30'))} INFO [scheduler] heartbeat ok`);
      lastHeartbeat = current.length;
    }
  }
  current.push(`${stamp(at('14:04:00'))} ERROR [payments] charge declined: gateway acme returned 502`);
  return {
    files: { 'logs/app.log.1.gz': gzipSync(rotated.join('\n') + '\n'), 'logs/app.log': current.join('\n') + '\n' },
    lines: { firstCharge: current.length, lastHeartbeat },
    counts,
  };
}
