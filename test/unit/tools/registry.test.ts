import assert from 'node:assert/strict';
import { z } from 'zod';
import { createToolRegistry } from '../../../src/engine/toolRegistry';
import { ToolRegistry, boundText, defineTool } from '../../../src/tools/registry';

describe('ToolRegistry', () => {
  it('derives each tool definition from its zod schema, deterministically', () => {
    const a = JSON.stringify(createToolRegistry().definitions());
    const b = JSON.stringify(createToolRegistry().definitions());
    assert.equal(a, b);
    const definitions = createToolRegistry().definitions();
    const [list, report] = [definitions[0], definitions.at(-1)];
    assert.deepEqual(
      definitions.map((d) => d.name),
      ['list_log_files', 'summarize_log', 'compare_log_windows', 'search_logs', 'read_log', 'query_metrics', 'get_recent_deploys', 'submit_triage_report'],
    );
    assert.equal(list!.name, 'list_log_files');
    assert.equal(list!.input_schema.type, 'object');
    assert.ok(!('$schema' in list!.input_schema));
    const props = report!.input_schema.properties as Record<string, { enum?: string[]; minimum?: number; maximum?: number; description?: string }>;
    assert.deepEqual(props.severity!.enum, ['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    assert.equal(props.confidence!.minimum, 0);
    assert.equal(props.confidence!.maximum, 1);
    assert.match(report!.description ?? '', /^Use this/);
    assert.deepEqual(report!.input_schema.required, [
      'title',
      'severity',
      'conclusion',
      'confidence',
      'summary',
      'suspected_root_cause',
      'evidence',
      'hypotheses',
      'affected_services',
      'timeline',
      'next_steps',
    ]);
  });

  it('rejects invalid and duplicate tool names', () => {
    const tool = (name: string) => defineTool({ name, description: 'd', input: z.object({}), risk: 'read-only', run: async () => ({ text: '' }) });
    assert.throws(() => new ToolRegistry([tool('has.dot')]), /Invalid tool name/);
    assert.throws(() => new ToolRegistry([tool('a'), tool('a')]), /Duplicate tool name/);
  });

  it('bounds a result to its budget at a line boundary and says what it left out', async () => {
    const big = defineTool({ name: 'big', description: 'd', input: z.object({}), risk: 'read-only', run: async () => ({ text: Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') }) });
    const registry = new ToolRegistry([big], { resultBudgetChars: 100 });
    const prepared = registry.prepare('big', {});
    assert.ok(prepared.ok);
    const outcome = await registry.run(prepared.call, { workspaceRoots: [], signal: new AbortController().signal }, { timeoutMs: 1000 });
    assert.ok(outcome.ok);
    assert.ok(outcome.content.length < 300);
    assert.match(outcome.content, /line 12\n\[output cut to 93 of 789 characters; 87 more lines omitted/);
    assert.equal(boundText('short', 100).note, undefined);
  });
});

describe('ToolRegistry bulkhead', () => {
  it('runs at most `concurrency` tools at once and refuses beyond its queue', async () => {
    let running = 0;
    let peak = 0;
    const slow = defineTool({
      name: 'slow',
      description: 'd',
      input: z.object({}),
      risk: 'read-only',
      run: async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { text: 'ok' };
      },
    });
    const registry = new ToolRegistry([slow], { concurrency: 2 });
    const prepared = registry.prepare('slow', {});
    assert.ok(prepared.ok);
    const ctx = { workspaceRoots: [], signal: new AbortController().signal };
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => registry.run(prepared.call, ctx, { timeoutMs: 5000 })));
    assert.equal(peak, 2);
    assert.equal(outcomes.filter((o) => o.ok).length, 34, '2 running + 32 queued');
    assert.match(outcomes.find((o) => !o.ok)!.content, /Too many tool calls at once/);
  });
});
