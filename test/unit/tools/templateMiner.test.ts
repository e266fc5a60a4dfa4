import assert from 'node:assert/strict';
import { TemplateMiner, messageOf, tokenize } from '../../../src/tools/logs/templateMiner';

/** The template one miner gives each message, as text. */
function mine(messages: string[]): string[] {
  const miner = new TemplateMiner();
  const ids = messages.map((m) => miner.addMessage(m)!.id);
  return ids.map((id) => miner.templates[id]!.tokens.join(' '));
}

/** Runs f and fails when it takes longer than ms (a regex that backtracks would). */
function fast<T>(ms: number, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
  return out;
}

describe('template miner: header detection', () => {
  it('cuts a [thread] and a dotted logger name after the level', () => {
    const line = '2015-10-18 18:01:47,978 INFO [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Address change detected';
    assert.equal(messageOf(line, { index: 0, length: 23 }, 28), 'Address change detected');
  });

  it('cuts a logger followed by its [request context], but keeps a second bracket that belongs to the message', () => {
    const line = '2017-05-16 00:00:00.008 25746 INFO nova.compute.manager [req-3ea4 - - - - -] [instance: b900] VM Resumed';
    assert.equal(messageOf(line, { index: 0, length: 23 }, 34), '[instance: b900] VM Resumed');
  });

  it('cuts "|"-separated fields, a [thread] - separator, a "name - " prefix and a padded column', () => {
    assert.equal(messageOf('20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', { index: 0, length: 21 }), 'onStandStepChanged 3579');
    assert.equal(messageOf('2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:2181:Election@774] - Notification time out: 3200', { index: 0, length: 23 }, 31), 'Notification time out: 3200');
    assert.equal(messageOf('[10.30 16:49:06] chrome.exe - proxy.example.com:5070 open through proxy', { index: 1, length: 14 }), 'proxy.example.com:5070 open through proxy');
    assert.equal(messageOf('2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack', { index: 0, length: 19 }, 25), 'Loaded Servicing Stack');
  });

  it('keeps a level word that comes after the program tag, and a message that only is a level word', () => {
    const tagged = '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 ntpd[7467]: Warning: we failed to resolve';
    assert.equal(messageOf(tagged, { index: 2, length: 10 }, tagged.indexOf('Warning') + 8), 'Warning: we failed to resolve');
    assert.equal(messageOf('1091 gige3 gige temperature 1123712436 1 warning', { index: 28, length: 10 }, 48), '1 warning');
  });

  it('leaves an ordinary message alone', () => {
    assert.equal(messageOf('Dec 10 09:18:01 LabSZ sshd[24624]: Received disconnect from 1.2.3.4: 11: Bye Bye', { index: 0, length: 15 }), 'Received disconnect from 1.2.3.4: 11: Bye Bye');
    assert.equal(messageOf('2026-01-01 00:00:00 ERROR Error: disk full', { index: 0, length: 19 }, 25), 'Error: disk full');
  });
});

describe('template miner: token classes and parameter runs', () => {
  it('masks a date written inside a message as one parameter', () => {
    assert.equal(tokenize('connection from 10.0.0.1 () at Fri Jul  1 07:57:30 2005').join(' '), 'connection from <*> () at <*>');
    assert.equal(tokenize('lifetime 00:01').join(' '), 'lifetime <*>');
  });

  it('keeps an abbreviated unit, and a restatement in another unit, with its quantity', () => {
    const [a, b, c] = mine(['x close, 0 bytes sent, lifetime <1 sec', 'x close, 1190 bytes (1.16 KB) sent, lifetime 00:02', 'x close, 12 bytes sent, lifetime 00:21']);
    assert.equal(a, 'x close, <*> sent, lifetime <*>');
    assert.equal(b, a);
    assert.equal(c, a);
    assert.equal(tokenize('corrected over 5 seconds').join(' '), 'corrected over <*> seconds', 'a spelled-out unit stays a word');
  });

  it('joins a run of parameters separated by punctuation, not one separated by a space', () => {
    assert.equal(tokenize('from 10.0.0.1,10.0.0.2,10.0.0.3 "GET /a"').join(' '), 'from <*> "GET /a"');
    assert.equal(tokenize('port 51502 ssh2').join(' '), 'port <*> <*>');
  });

  it('masks an id with a letter prefix as a whole, not just its hex tail', () => {
    assert.equal(tokenize('Deleting block blk_-1727475099218615100 file x').join(' '), 'Deleting block <*> file x');
    assert.equal(tokenize('Deleting block blk_8935202950442998446 file x').join(' '), 'Deleting block <*> file x');
  });

  it('keeps an upper-case name with a digit (a protocol), but masks a host name holding an address', () => {
    assert.equal(tokenize('open through proxy SOCKS5').join(' '), 'open through proxy SOCKS5');
    assert.equal(tokenize('from 203.101.45.59 (dsl-static-059.45.101.203.example.net) at').join(' '), 'from <*> (<*>) at');
  });
});

describe('template miner: clustering', () => {
  it('counts a parameter the template has already learnt as matching any token', () => {
    // The third line differs from the first in two places, one of which the template already holds as <*>: 4 of 5 alike.
    const [a, b, c] = mine(['GET ok /a x y', 'GET ok /b x y', 'GET ok /c x z']);
    assert.equal(b, a);
    assert.equal(c, a);
    assert.equal(a, 'GET ok <*> x <*>');
  });

  it('keeps two events apart when they differ by a capitalised name, but joins lines that differ by a lower-case value', () => {
    const [started, paused] = mine(['[instance: 1] VM Started (Lifecycle Event)', '[instance: 2] VM Paused (Lifecycle Event)']);
    assert.notEqual(started, paused);
    const [root, uucp] = mine(['Failed password for root from 1.2.3.4 port 22 ssh2', 'Failed password for uucp from 1.2.3.5 port 23 ssh2']);
    assert.equal(root, uucp);
    assert.equal(root, 'Failed password for <*> from <*> port <*> <*>');
  });

  it('keeps the key of a key=value parameter, and keeps a key given no value apart', () => {
    const [a, b, c] = mine(['auth failure; tty=ssh rhost=a.example.org user=root', 'auth failure; tty=ssh rhost=b.example.org user=root', 'auth failure; tty=ssh rhost=c.example.org user=uucp']);
    assert.equal(a, 'auth failure; tty=ssh rhost=<*> user=<*>');
    assert.equal(b, a);
    assert.equal(c, a);
    // Were rhost's values learnt as a bare <*>, "rhost=" would match it and the line would join (4 of 5 alike).
    const [withHost, , empty] = mine(['auth failure; tty=ssh rhost=a.example.org user=root', 'auth failure; tty=ssh rhost=b.example.org user=root', 'auth failure; tty=:0 rhost= user=root']);
    assert.notEqual(empty, withHost);
  });

  it('keeps apart a token and the same token with a name glued in front', () => {
    // The user is a learnt parameter by the third line, which differs from the template in the glued name alone (6 of 7 alike).
    const [plain, , named] = mine(['session opened for user cyrus by (uid=0)', 'session opened for user news by (uid=0)', 'session opened for user root by LOGIN(uid=0)']);
    assert.notEqual(plain, named);
  });

  it('gives a raw line through addLine the template that addMessage gives its message, and never merges templates', () => {
    const lines = [
      '2026-01-01 00:00:00 INFO [main] org.a.B: started 3 workers',
      '2026-01-01 00:00:01 INFO [main] org.a.B: started 12 workers',
      '2026-01-01 00:00:02 WARN [main] org.a.B: queue full at 99%',
      '{"ts":"2026-01-01T00:00:03Z","msg":"pool exhausted","level":"error"}',
      '{"msg":"pool ready","ts":"2026-01-01T00:00:03Z","level":"info"}',
    ];
    const ts = (l: string) => (l.startsWith('{') ? { index: l.indexOf('2026'), length: 20 } : { index: 0, length: 19 });
    const byLine = new TemplateMiner();
    const byMessage = new TemplateMiner();
    for (const l of lines) {
      const levelEnd = l.startsWith('{') ? undefined : 24;
      assert.equal(byLine.addLine(l, ts(l), levelEnd)!.id, byMessage.addMessage(messageOf(l, ts(l), levelEnd))!.id, l);
    }
    assert.deepEqual(
      byLine.templates.map((t) => [t.id, t.tokens.join(' '), t.count]),
      [
        [0, 'started <*> workers', 2],
        [1, 'queue full at <*>', 1],
        [2, 'pool exhausted', 1],
        [3, 'pool ready', 1],
      ],
    );
  });

  it('does not take two lines whose headers differ for one skeleton, when "|" separates the fields', () => {
    const miner = new TemplateMiner();
    const a = miner.addLine('20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', { index: 0, length: 21 })!;
    const b = miner.addLine('20171223-22:15:29:633|Step_SPUtils|30002312|setTodayTotalSteps 1', { index: 0, length: 21 })!;
    assert.notEqual(a.id, b.id);
    assert.equal(b.tokens.join(' '), 'setTodayTotalSteps <*>');
  });
});

describe('template miner: hostile input', () => {
  it('stays linear on very long lines and lines of many tokens', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `k${i}=${i},`).join(' ');
    assert.equal(fast(500, () => tokenize(many)).length, 1, 'fifty thousand comma-joined parameters are one run');
    const brackets = '['.repeat(100_000) + 'x';
    fast(500, () => messageOf(`2026-01-01 00:00:00 INFO ${brackets}`, { index: 0, length: 19 }, 24));
    const pipes = `|${'a|'.repeat(100_000)}`;
    fast(500, () => messageOf(`2026-01-01 00:00:00${pipes}`, { index: 0, length: 19 }));
    const colons = `2026-01-01 00:00:00 ${'1:2 '.repeat(50_000)}`;
    fast(500, () => messageOf(colons, { index: 0, length: 19 }));
    const dates = 'Mon Jan 1 '.repeat(50_000);
    fast(500, () => tokenize(dates));
    const units = '1 bytes ('.repeat(50_000);
    fast(500, () => tokenize(units));
  });
});
