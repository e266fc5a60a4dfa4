import { readingTheFirstLook } from './firstLookReader';
import type { ScriptedTurn } from './script';
import type { TriageReport } from '../shared/report';

/**
 * A recorded triage of samples/checkout-incident: the model's side of a run, replayed by
 * `incident-triage demo` (and by tests) while the tools run for real. Recorded without a first
 * look; replayed, it skips what the first look answered (readingTheFirstLook). Every evidence line it cites is checked against the
 * sample files by a test, so the recording cannot drift from the data.
 */
export const CHECKOUT_DESCRIPTION = 'Checkout is failing for most customers since about 14:05 UTC — the storefront shows "payment failed". What is going on?';

const WINDOW = { since: '2026-11-20T13:55:00Z', until: '2026-11-20T14:20:00Z' };

export const checkoutReport: TriageReport = {
  title: 'Checkout 502s: payments DB pool cut from 50 to 5 connections by the 14:02 deploy',
  severity: 'SEV1',
  conclusion: 'identified',
  confidence: 0.9,
  summary:
    'Since 14:04:19 UTC most checkout requests fail with 502 (355 errors in checkout-api by 14:20). ' +
    'checkout-api gets 503 from payments, whose database connection pool is exhausted: requests wait 3 s for a connection and time out. ' +
    'The pool shrank from 50 to 5 connections when payments-service 2.14.0 was deployed at 14:02.',
  suspected_root_cause:
    'payments-service 2.14.0 (commit 9f3c2ab), deployed at 14:02:05 to read the pool size from PAYMENTS_DB_POOL with a default of 5, starts HikariPool-1 with maximumPoolSize=5; 2.13.4 ran with 50. ' +
    'When traffic rose at 14:04 the 5 connections were all in use (pool stats: active=5, waiting=9 at 14:04:10), charges timed out after 3000 ms, ' +
    'payments answered 503, and checkout-api, which does not retry non-idempotent POSTs, returned 502 through NGINX.',
  evidence: [
    {
      kind: 'log',
      file: 'logs/payments/payments.log',
      line: 107,
      excerpt: 'HikariPool-1 - configuration: maximumPoolSize=5 minimumIdle=5 connectionTimeout=3000ms',
      why: 'The new version starts with a 5-connection pool.',
    },
    {
      kind: 'log',
      file: 'logs/payments/payments.log.1',
      line: 2,
      excerpt: 'HikariPool-1 - configuration: maximumPoolSize=50 minimumIdle=10 connectionTimeout=3000ms',
      why: 'The previous version (2.13.4) ran with 50 connections.',
    },
    {
      kind: 'log',
      file: 'logs/payments/payments.log',
      line: 106,
      excerpt: '"msg":"starting payments-service","version":"2.14.0","commit":"9f3c2ab"',
      why: 'The deploy that changed the pool size, two minutes before the failures.',
    },
    {
      kind: 'file',
      file: 'deploys.json',
      line: 21,
      excerpt: '"description": "Read DB pool size from PAYMENTS_DB_POOL (default 5) instead of payments.yml"',
      why: 'The deploy record says where the 5 comes from: a new default when the variable is unset.',
    },
    {
      kind: 'log',
      file: 'logs/payments/payments.log',
      line: 143,
      excerpt: 'HikariPool-1 - Pool stats (total=5, active=5, idle=0, waiting=9)',
      why: 'First sign of exhaustion: every connection busy, requests queueing.',
    },
    {
      kind: 'log',
      file: 'logs/payments/payments.log',
      line: 147,
      excerpt: 'charge failed: HikariPool-1 - Connection is not available, request timed out after 3000ms.',
      why: 'First failed charge: a connection wait timeout, not a database error.',
    },
    {
      kind: 'log',
      file: 'logs/checkout-api.log',
      line: 149,
      excerpt: 'POST /api/checkout 502 3034ms order=o-365220 error="payment authorization failed: upstream 503"',
      why: 'The same order fails at checkout 30 ms later: the user-facing symptom.',
    },
    { kind: 'log', file: 'logs/nginx/access.log', line: 185, excerpt: '"POST /api/checkout HTTP/1.1" 502 157', why: 'Customers see the 502 at the edge.' },
  ],
  hypotheses: [
    { statement: 'payments-service 2.14.0 cut the database pool from 50 to 5 connections', status: 'supported', evidence: [1, 2, 3, 4] },
    { statement: 'Pool exhaustion makes charges time out, and checkout turns the 503 into a 502', status: 'supported', evidence: [5, 6, 7, 8] },
    { statement: 'The payments database itself is failing or slow', status: 'refuted', evidence: [5, 6] },
    { statement: 'The edge (NGINX) is failing on its own', status: 'refuted', evidence: [7, 8] },
  ],
  affected_services: ['payments-service', 'checkout-api', 'nginx (storefront edge)'],
  timeline: [
    { time: '2026-11-20T14:02:00.000Z', event: 'payments receives SIGTERM for the deploy' },
    { time: '2026-11-20T14:02:05.870Z', event: 'payments-service 2.14.0 (9f3c2ab) starts', evidence: 3 },
    { time: '2026-11-20T14:02:06.010Z', event: 'DB pool configured with maximumPoolSize=5 (was 50)', evidence: 1 },
    { time: '2026-11-20T14:04:10.412Z', event: 'Pool saturated: 5/5 active, 9 waiting', evidence: 5 },
    { time: '2026-11-20T14:04:19.717Z', event: 'First charge fails on connection timeout', evidence: 6 },
    { time: '2026-11-20T14:04:19.747Z', event: 'First checkout 502', evidence: 7 },
    { time: '2026-11-20T14:05:00Z', event: 'payments p95 latency shifts from about 0.11 s to 2.9 s (metrics/payments.csv)' },
  ],
  next_steps: [
    'Mitigate now: set PAYMENTS_DB_POOL=50 and restart payments, or roll payments-service back to 2.13.4.',
    'Confirm recovery: checkout 502s stop in logs/nginx/access.log and payments "Pool stats" show waiting=0.',
    'Find the change in commit 9f3c2ab that set maximumPoolSize=5 and add a deploy check on pool size.',
    'Follow up: alert on pool wait time and on checkout 5xx rate so this pages within a minute.',
  ],
};

const turns: ScriptedTurn[] = [
  {
    content: [
      { type: 'thinking', thinking: 'Checkout failing since ~14:05 with "payment failed". Before guessing, I need to know which logs exist and which of them cover 14:00-14:10 UTC.' },
      { type: 'text', text: "I'll start by finding out which logs we have and what time span each covers." },
      { type: 'tool_use', name: 'list_log_files', input: {} },
    ],
  },
  {
    content: [
      { type: 'thinking', thinking: 'checkout-api, payments (current + rotated) and nginx all cover the window. Look for the first errors in each service in parallel.' },
      { type: 'text', text: 'Checkout, payments and NGINX logs all cover the window. Searching each service for its first errors around 14:05, in parallel.' },
      { type: 'tool_use', name: 'summarize_log', input: { file: 'logs/payments/payments.log', bucket: '5m' } },
      { type: 'tool_use', name: 'search_logs', input: { query: 'error', levels: ['error', 'fatal'], files: ['logs/checkout-api.log'], ...WINDOW, limit: 3 } },
      { type: 'tool_use', name: 'search_logs', input: { query: 'error', levels: ['error', 'fatal'], files: ['logs/payments/**'], ...WINDOW, limit: 3 } },
      { type: 'tool_use', name: 'search_logs', input: { query: '" 502 ', files: ['logs/nginx/access.log'], ...WINDOW, limit: 2 } },
    ],
  },
  {
    content: [
      { type: 'thinking', thinking: 'Payments fails on DB connection waits from 14:04:19. Did something change in payments just before, and when exactly did its latency move?' },
      { type: 'text', text: 'Payments is failing on database connection waits. Checking recent deploys and payments latency around 14:00, in parallel.' },
      { type: 'tool_use', name: 'get_recent_deploys', input: { service: 'payments', since_minutes: 1440 } },
      { type: 'tool_use', name: 'query_metrics', input: { service: 'payments', metric: 'latency_p95', time_range_minutes: 60 } },
    ],
  },
  {
    content: [
      {
        type: 'thinking',
        thinking:
          'Checkout 502s are caused by upstream 503s from payments, and payments fails waiting 3000ms for a DB connection: pool exhaustion. What changed in payments shortly before 14:04? Look for restarts and pool configuration in both payments files.',
      },
      {
        type: 'text',
        text: "Checkout's 502s come from payments answering 503, and payments is timing out waiting for a database connection. What changed in payments just before? Looking for restarts and pool settings.",
      },
      { type: 'tool_use', name: 'search_logs', input: { query: 'starting payments-service|maximumPoolSize|SIGTERM', regex: true, files: ['logs/payments/**'] } },
    ],
  },
  {
    content: [
      { type: 'text', text: 'Version 2.14.0 came up at 14:02:05 with maximumPoolSize=5, where 2.13.4 had 50. Reading the payments log around the first failures to confirm the pool ran dry.' },
      { type: 'tool_use', name: 'read_log', input: { file: 'logs/payments/payments.log', around_line: 145, radius: 4 } },
    ],
  },
  {
    content: [
      { type: 'text', text: 'Confirmed: all 5 connections busy with requests queueing at 14:04:10, then connection timeouts. Writing up the report.' },
      { type: 'tool_use', name: 'submit_triage_report', input: checkoutReport },
    ],
  },
];

/** Replayed with a first look in the first message, the turn that lists the files and the payments summary are left out (see readingTheFirstLook). */
export const checkoutIncidentScenario = readingTheFirstLook(turns);
