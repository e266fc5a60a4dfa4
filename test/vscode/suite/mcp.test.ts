import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ApprovalRequest } from '../../../src/tools/registry';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { FILESYSTEM } from '../../fixtures/mcpServers';
import { sampleReport } from '../../fixtures/reports';
import { api, newPanel, runToEnd, type Event } from './harness';

/**
 * MCP servers from the user's setting in a real VS Code: the reference filesystem server starts
 * with the run, its read-only tool runs at once, its write tool is put to the user (here, the
 * test answers in the dialog's place) with its hints, and the server is gone after the run.
 */
describe('MCP servers in a real VS Code', function () {
  this.timeout(90_000);
  let server: FakeAnthropic;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('incidentTriage');

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage-mcp-host-'));
    await config().update('mcpServers', { servers: { files: { type: 'stdio', command: process.execPath, args: [FILESYSTEM, dir] } } }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const answer of [false, true]) {
    it(`asks before a write tool runs, showing its hints, and ${answer ? 'runs it when allowed' : 'does not run it when refused'}`, async () => {
      const target = path.join(dir, `answer-${answer}.txt`);
      await server?.close();
      server = await FakeAnthropic.start({
        scenario: scriptedTurns([
          {
            content: [
              { type: 'tool_use', name: 'mcp__files__list_allowed_directories', input: {} },
              { type: 'tool_use', name: 'mcp__files__write_file', input: { path: target, content: 'from the run' } },
            ],
          },
          { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
        ]),
      });
      await config().update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
      const { forTests } = await api();
      const asked: ApprovalRequest[] = [];
      forTests!.controller.approve = async (call) => (asked.push(call), answer);
      const panel = await newPanel();
      const end = await runToEnd(panel, 'checkout fails since 14:05');
      assert.equal(end.reason, 'report');
      assert.deepEqual(
        asked.map((call) => [call.name, call.annotations?.destructiveHint]),
        [['mcp__files__write_file', true]],
        'asked once, for the write tool only, with its hints',
      );
      const results = panel.transcript.filter((e): e is Event<'tool_result'> => e.type === 'tool_result');
      assert.equal(results.find((r) => r.name === 'mcp__files__list_allowed_directories')?.ok, true);
      assert.equal(results.find((r) => r.name === 'mcp__files__write_file')?.ok, answer);
      assert.equal(existsSync(target), answer);
      const tools = (server.messageRequests[0]!.tools as { name: string }[]).map((t) => t.name);
      assert.ok(tools.includes('mcp__files__write_file') && tools.at(-1) === 'submit_triage_report');
    });
  }
});
