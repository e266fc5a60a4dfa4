import assert from 'node:assert/strict';
import path from 'node:path';
import { summarizeFile, summarizeLogTool } from '../../../src/tools/logs/summarizeLog';
import { TemplateMiner, messageOf, tokenize } from '../../../src/tools/logs/templateMiner';

const SAMPLE = path.resolve(__dirname, '../../../samples/checkout-incident');
const ctx = { workspaceRoots: [SAMPLE], signal: new AbortController().signal };

describe('summarize_log', () => {
  it('gives the shape of a log: counts, span, levels per bucket, first error and burst, top templates', async () => {
    const { text } = await summarizeLogTool({}).run({ file: 'logs/payments/payments.log', bucket: '5m' }, ctx);
    assert.match(text, /^logs\/payments\/payments\.log: 619 lines, 119\.5 KB/);
    assert.match(text, /Time span \(UTC\): 2026-11-20T13:55:05\.602Z → 2026-11-20T14:20:01\.455Z \(24m 56s\)/);
    assert.match(text, /Levels: info 227, warn 36, error 356/);
    assert.match(text, /2026-11-20T14:05:00\.000Z {2}info 25, warn 10, error 114/);
    assert.match(text, /First error: line 147 at 2026-11-20T14:04:19\.717Z/);
    assert.match(text, /First error burst: \d+ error lines within 60s from 2026-11-20T14:04:19\.717Z \(line 147\)/);
    assert.match(text, /356× \[error\] charge failed: <\*> - Connection is not available, request timed out after <\*> {2}\(first 2026-11-20T14:04:19\.717Z/);
    assert.match(text, /1× \[info\] <\*> - configuration: maximumPoolSize=<\*> .*e\.g\. line 107\)/);
    assert.ok(text.length < 3000, 'a few hundred tokens');
  });

  it('says when a log is not in time order, and still buckets by time', async () => {
    const s = await summarizeFile(path.join(SAMPLE, 'logs/checkout-api.log'));
    assert.equal(s.backwardSteps > 0, true, 'checkout-api logs the 502 warn line a few ms before the request line');
    const total = [...s.buckets.values()].reduce((a, c) => a + Object.values(c).reduce((x, y) => x + (y ?? 0), 0), 0);
    assert.equal(total, s.lines, 'every line lands in a bucket');
  });

  it('mines one template for lines that differ only in variable parts', () => {
    const miner = new TemplateMiner();
    const lines = [
      'Connection from 10.0.0.1:5432 closed after 300ms (id=3f2a9c1e-8b7d-4c6e-9f0a-1b2c3d4e5f60)',
      'Connection from 10.0.0.27:5432 closed after 12ms (id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d)',
      'Connection from 192.168.1.9:5432 closed after 1034ms (id=9e8d7c6b-5a49-4382-a716-0f1e2d3c4b5a)',
    ];
    const ids = lines.map((l) => miner.add(tokenize(l))!.id);
    assert.deepEqual(new Set(ids).size, 1);
    assert.equal(miner.templates[0]!.tokens.join(' '), 'Connection from <*> closed after <*> (id=<*>)');
    assert.notEqual(miner.add(tokenize('Disk /dev/sda1 is 97% full'))!.id, ids[0]);
  });

  it('mines the message of a JSON line and the text after a level or program tag', () => {
    assert.equal(messageOf('{"ts":"2026-01-01T00:00:00Z","level":"error","msg":"pool exhausted"}'), 'pool exhausted');
    assert.equal(messageOf('2026-01-01 00:00:00 ERROR [main] boom', undefined, 25), 'boom');
    assert.equal(messageOf('Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster', { index: 0, length: 15 }), 'Invalid user webmaster');
  });
});
