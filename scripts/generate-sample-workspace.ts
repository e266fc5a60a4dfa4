/**
 * Writes samples/checkout-incident: the logs of a small, realistic incident, the same bytes on
 * every run (seeded). Story: at 14:02 UTC payments-service v2.14.0 is deployed with its DB pool
 * shrunk from 50 to 5 connections; at 14:04 traffic rises, the pool runs dry, charges time out,
 * and checkout returns 502 through NGINX.
 *
 *   npx tsx scripts/generate-sample-workspace.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const OUT = path.resolve(__dirname, '..', 'samples', 'checkout-incident');
const DAY = Date.UTC(2026, 10, 20);
const at = (h: number, m: number, s = 0, ms = 0) => DAY + ((h * 60 + m) * 60 + s) * 1000 + ms;
const DEPLOY = at(14, 2, 0);
const RESTARTED = at(14, 2, 5, 870);
const FIRST_EXHAUSTION = at(14, 4, 10, 412);

let seed = 20261120;
function random(): number {
  // mulberry32: small, fast and deterministic
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const iso = (t: number) => new Date(t).toISOString();
const clf = (t: number) => {
  const d = new Date(t);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

interface Request {
  t: number;
  id: string;
  order: string;
  user: string;
  ip: string;
  ok: boolean;
  latencyMs: number;
}

// Checkout traffic: one request every 2-6 s, rising at 14:04 (a marketing email lands).
const requests: Request[] = [];
for (let t = at(13, 55); t < at(14, 20);) {
  const busy = t >= at(14, 4);
  t += Math.floor((busy ? 1200 : 2000) + random() * (busy ? 2000 : 4000));
  const poolDry = t >= FIRST_EXHAUSTION + 1500 && t < at(14, 20);
  const ok = !poolDry || random() < 0.18;
  requests.push({
    t,
    id: hex(8),
    order: `o-${100000 + Math.floor(random() * 900000)}`,
    user: `u-${10000 + Math.floor(random() * 90000)}`,
    ip: `203.0.113.${1 + Math.floor(random() * 254)}`,
    ok,
    latencyMs: ok ? 90 + Math.floor(random() * (poolDry ? 2400 : 160)) : 3000 + Math.floor(random() * 40),
  });
}

function checkoutLog(): string {
  const lines: string[] = [`${iso(at(13, 55))} INFO  [checkout-api] listening on :8080 (version 5.8.1)`];
  for (const r of requests) {
    if (r.ok) {
      lines.push(`${iso(r.t + r.latencyMs)} INFO  [checkout-api] req=${r.id} POST /api/checkout 200 ${r.latencyMs}ms order=${r.order} user=${r.user}`);
    } else {
      lines.push(`${iso(r.t + r.latencyMs - 2)} WARN  [checkout-api] req=${r.id} upstream payments responded 503 after ${r.latencyMs - 4}ms (attempt 1/1, no retry for non-idempotent POST)`);
      lines.push(`${iso(r.t + r.latencyMs)} ERROR [checkout-api] req=${r.id} POST /api/checkout 502 ${r.latencyMs}ms order=${r.order} error="payment authorization failed: upstream 503"`);
    }
    if (random() < 0.05) lines.push(`${iso(r.t + 5)} DEBUG [checkout-api] cart cache hit ratio=0.${80 + Math.floor(random() * 19)}`);
  }
  return lines.join('\n') + '\n';
}

function paymentsLine(t: number, level: string, msg: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ts: iso(t), level, service: 'payments', msg, ...extra });
}

function paymentsLogs(): { current: string; rotated: string } {
  const rotated = [
    paymentsLine(at(12, 0, 1, 204), 'info', 'starting payments-service', { version: '2.13.4', commit: '4be81d0' }),
    paymentsLine(at(12, 0, 2, 11), 'info', 'HikariPool-1 - configuration: maximumPoolSize=50 minimumIdle=10 connectionTimeout=3000ms'),
    paymentsLine(at(12, 0, 2, 390), 'info', 'HikariPool-1 - Start completed.'),
  ];
  for (let t = at(12, 1); t < at(14, 0); t += 50_000 + Math.floor(random() * 20_000)) {
    rotated.push(paymentsLine(t, 'info', 'charge authorized', { order_id: `o-${100000 + Math.floor(random() * 900000)}`, latency_ms: 80 + Math.floor(random() * 90) }));
  }

  const current: string[] = [];
  const before = requests.filter((r) => r.t < DEPLOY);
  for (const r of before) current.push(paymentsLine(r.t + 40, 'info', 'charge authorized', { order_id: r.order, latency_ms: r.latencyMs - 30 }));
  current.push(
    paymentsLine(DEPLOY, 'info', 'received SIGTERM, draining connections (deploy)'),
    paymentsLine(DEPLOY + 850, 'info', 'HikariPool-1 - Shutdown completed.'),
    paymentsLine(RESTARTED, 'info', 'starting payments-service', { version: '2.14.0', commit: '9f3c2ab' }),
    paymentsLine(RESTARTED + 140, 'info', 'HikariPool-1 - configuration: maximumPoolSize=5 minimumIdle=5 connectionTimeout=3000ms'),
    paymentsLine(RESTARTED + 520, 'info', 'HikariPool-1 - Start completed.'),
  );
  let warned = false;
  for (const r of requests.filter((x) => x.t >= DEPLOY)) {
    if (!warned && r.t >= FIRST_EXHAUSTION) {
      current.push(paymentsLine(FIRST_EXHAUSTION, 'warn', 'HikariPool-1 - Pool stats (total=5, active=5, idle=0, waiting=9)'));
      warned = true;
    }
    if (r.ok) current.push(paymentsLine(r.t + 40, 'info', 'charge authorized', { order_id: r.order, latency_ms: r.latencyMs - 30 }));
    else {
      current.push(
        paymentsLine(r.t + 3004, 'error', 'charge failed: HikariPool-1 - Connection is not available, request timed out after 3000ms.', {
          order_id: r.order,
          error: 'java.sql.SQLTransientConnectionException',
        }),
      );
      if (random() < 0.12) current.push(paymentsLine(r.t + 3010, 'warn', `HikariPool-1 - Pool stats (total=5, active=5, idle=0, waiting=${10 + Math.floor(random() * 30)})`));
    }
  }
  // Every line is paymentsLine's JSON, so each has its ISO `ts`.
  const ts = (line: string): string => (JSON.parse(line) as { ts: string }).ts;
  current.sort((a, b) => (ts(a) < ts(b) ? -1 : 1));
  return { current: current.join('\n') + '\n', rotated: rotated.join('\n') + '\n' };
}

function nginxLog(): string {
  const agents = [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36',
    'ShopApp/4.2 (iOS 18.1)',
  ];
  const lines: string[] = [];
  for (const r of requests) {
    const status = r.ok ? 200 : 502;
    const bytes = r.ok ? 412 + Math.floor(random() * 40) : 157;
    const t = r.t + r.latencyMs + 1;
    lines.push(
      `${r.ip} - - [${clf(t)}] "POST /api/checkout HTTP/1.1" ${status} ${bytes} "https://shop.example.com/cart" "${pick(agents)}" rt=${((r.latencyMs + 1) / 1000).toFixed(3)} uct=0.001 req=${r.id}`,
    );
    if (random() < 0.3) lines.push(`${r.ip} - - [${clf(t + 200)}] "GET /static/app.js HTTP/1.1" 200 48213 "https://shop.example.com/cart" "${pick(agents)}" rt=0.002 uct=0.000 req=${hex(8)}`);
  }
  return lines.join('\n') + '\n';
}

function write(relative: string, content: string): void {
  const file = path.join(OUT, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`${relative}: ${content.split('\n').length - 1} lines`);
}

/** Per-minute metrics with their own seed, so adding them left the logs above byte-identical. */
function metricsCsv(service: 'payments' | 'checkout-api'): string {
  let state = service === 'payments' ? 7 : 11;
  const noise = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  const rows = ['timestamp,service,metric,value'];
  for (let t = at(13, 30); t <= at(14, 20); t += 60_000) {
    const incident = t >= at(14, 5);
    const busy = t >= at(14, 4);
    const latency = service === 'payments' ? (incident ? 2.9 + 0.1 * noise() : 0.11 + 0.01 * noise()) : incident ? 3.01 + 0.02 * noise() : 0.19 + 0.02 * noise();
    const errors = incident ? (service === 'payments' ? 0.78 : 0.81) + 0.03 * noise() : 0.001 + 0.001 * Math.abs(noise());
    const throughput = (busy ? 0.55 : 0.25) + 0.03 * noise();
    const cpu = service === 'payments' ? (incident ? 22 : 18) + 2 * noise() : (busy ? 35 : 20) + 3 * noise();
    const stamp = new Date(t).toISOString();
    for (const [metric, value] of [
      ['latency_p95', latency],
      ['error_rate', errors],
      ['throughput', throughput],
      ['cpu_pct', cpu],
    ] as const) {
      rows.push(`${stamp},${service},${metric},${Number(value.toFixed(4))}`);
    }
  }
  return rows.join('\n') + '\n';
}

const deploys = [
  { service: 'checkout-api', version: '5.8.1', time: '2026-11-19T16:10:00Z', author: 'sam.okafor', description: 'Show delivery estimates in the cart' },
  { service: 'search', version: '3.2.0', time: '2026-11-20T11:30:00Z', author: 'lee.wong', description: 'Synonyms for size filters' },
  { service: 'payments', version: '2.14.0', time: '2026-11-20T14:02:05Z', author: 'dana.kim', description: 'Read DB pool size from PAYMENTS_DB_POOL (default 5) instead of payments.yml' },
];

const payments = paymentsLogs();
write('logs/checkout-api.log', checkoutLog());
write('logs/payments/payments.log', payments.current);
write('logs/payments/payments.log.1', payments.rotated);
write('logs/nginx/access.log', nginxLog());
write('metrics/payments.csv', metricsCsv('payments'));
write('metrics/checkout-api.csv', metricsCsv('checkout-api'));
write('deploys.json', `${JSON.stringify(deploys, null, 2)}\n`);
write(
  'README.md',
  '# Sample workspace: checkout incident\n\nGenerated by `scripts/generate-sample-workspace.ts` (seeded, reproducible). The logs of a small incident on 2026-11-20: checkout starts failing shortly after 14:04 UTC. The demo (`npm start`) triages it.\n',
);
