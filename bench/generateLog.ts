import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Needles planted in the generated log, with how many times each appears. */
export const NEEDLES = { literal: 'ZX-NEEDLE-7f3a9', regexHits: 'disk quota exceeded for volume vol-' } as const;

/**
 * Writes a realistic service log of about `bytes` bytes (ISO timestamps, levels, components,
 * request ids, latencies) with a few planted needles; the same bytes for the same size.
 */
export async function generateLog(file: string, bytes: number): Promise<{ lines: number; needles: number }> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const components = ['checkout-api', 'payments', 'inventory', 'gateway', 'auth', 'search'];
  const messages = [
    (r: number) =>
      `req=${Math.floor(r * 0xffffffff)
        .toString(16)
        .padStart(8, '0')} GET /api/items/${Math.floor(r * 99999)} 200 ${Math.floor(r * 300)}ms`,
    (r: number) => `cache hit ratio=0.${Math.floor(r * 99)} keys=${Math.floor(r * 1e6)}`,
    (r: number) => `connection pool stats total=50 active=${Math.floor(r * 50)} idle=${50 - Math.floor(r * 50)} waiting=0`,
    (r: number) => `user u-${Math.floor(r * 1e6)} logged in from 10.${Math.floor(r * 255)}.${Math.floor(r * 7)}.${Math.floor(r * 13)}`,
    (r: number) => `slow query took ${Math.floor(r * 5000)}ms: SELECT * FROM orders WHERE id = ${Math.floor(r * 1e7)}`,
  ];
  const levels = ['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
  let t = Date.UTC(2026, 10, 20, 0, 0, 0);
  let written = 0;
  let lines = 0;
  let needles = 0;
  const chunk: string[] = [];
  while (written < bytes) {
    t += Math.floor(rand() * 20);
    const r = rand();
    let line = `${new Date(t).toISOString()} ${levels[Math.floor(r * levels.length)]} [${components[Math.floor(rand() * components.length)]}] ${messages[Math.floor(rand() * messages.length)]!(rand())}`;
    if (lines % 500_000 === 123_457) {
      line = `${new Date(t).toISOString()} ERROR [payments] ${NEEDLES.literal} ledger mismatch; ${NEEDLES.regexHits}${lines}`;
      needles++;
    }
    chunk.push(line);
    written += line.length + 1;
    lines++;
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk.length = 0;
    }
  }
  out.end(chunk.length ? chunk.join('\n') + '\n' : '');
  await once(out, 'finish');
  return { lines, needles };
}
