import assert from 'node:assert/strict';
import { McpConfigError, parseMcpConfig, resolveReferences } from '../../../src/tools/mcp/mcpConfig';

describe('MCP configuration', () => {
  it("reads VS Code's mcp.json shape and Claude Desktop's, servers in name order", () => {
    const vscode = parseMcpConfig(
      { inputs: [], servers: { zeta: { type: 'stdio', command: 'node', args: ['z.js'] }, alpha: { type: 'http', url: 'https://mcp.example/x', headers: { Authorization: 'Bearer ${env:TOKEN}' } } } },
      'settings',
    );
    assert.deepEqual([...vscode.keys()], ['alpha', 'zeta']);
    assert.deepEqual(vscode.get('zeta'), { type: 'stdio', command: 'node', args: ['z.js'], env: {} });
    const claude = parseMcpConfig({ mcpServers: { grafana: { command: 'mcp-grafana', env: { GRAFANA_API_KEY: '${env:GRAFANA_API_KEY}' } } } }, 'claude_desktop_config.json');
    assert.deepEqual(claude.get('grafana'), { command: 'mcp-grafana', args: [], env: { GRAFANA_API_KEY: '${env:GRAFANA_API_KEY}' } });
  });

  it('refuses a secret written in plain text, saying how to reference it instead', () => {
    for (const [server, where] of [
      [{ url: 'https://mcp.example', headers: { Authorization: 'Bearer glsa_live_0123456789' } }, 'servers.s.headers.Authorization'],
      [{ url: 'https://mcp.example', headers: { 'X-Api-Key': 'abc123' } }, 'servers.s.headers.X-Api-Key'],
      [{ command: 'x', env: { DD_API_KEY: 'abc123' } }, 'servers.s.env.DD_API_KEY'],
      [{ command: 'x', env: { DB_PASSWORD: 'hunter2' } }, 'servers.s.env.DB_PASSWORD'],
    ] as const) {
      assert.throws(
        () => parseMcpConfig({ servers: { s: server } }, 'cfg'),
        (err: Error) => err instanceof McpConfigError && err.message.includes(`cfg: ${where} holds a secret in plain text`) && err.message.includes('${env:NAME}'),
      );
    }
    // Values that are not secrets, and references, are fine.
    assert.doesNotThrow(() => parseMcpConfig({ servers: { s: { command: 'x', env: { LOG_LEVEL: 'debug', API_KEY: '${secret:grafana}' } } } }, 'cfg'));
  });

  it('refuses what is not a configuration, with the place and the reason', () => {
    assert.throws(() => parseMcpConfig([], 'f'), /f: not an MCP configuration/);
    assert.throws(() => parseMcpConfig({ servers: { s: { command: '' } } }, 'f'), /f: "servers" is not valid/);
    assert.throws(() => parseMcpConfig({ servers: { s: { url: 'file:///etc/passwd' } } }, 'f'), /f: "servers" is not valid/);
    assert.throws(() => parseMcpConfig({ servers: { s: { command: 'x', shell: true } } }, 'f'), /f: "servers" is not valid/);
    assert.throws(() => parseMcpConfig({ servers: { 'a.b': { command: 'x' } } }, 'f'), /server name "a\.b" must be 1-24 letters/);
  });

  it('resolves references, and names one that resolves to nothing', async () => {
    const resolve = async ({ kind, name }: { kind: string; name: string }) => (kind === 'env' && name === 'TOKEN' ? 't0k3n' : undefined);
    assert.deepEqual(await resolveReferences({ Authorization: 'Bearer ${env:TOKEN}', Plain: 'x' }, resolve, 'servers.s.headers'), {
      values: { Authorization: 'Bearer t0k3n', Plain: 'x' },
      secrets: ['t0k3n'],
    });
    await assert.rejects(resolveReferences({ K: '${secret:missing}' }, resolve, 'servers.s.env'), /servers\.s\.env\.K: \$\{secret:missing\} is not set in VS Code's secret storage/);
  });
});
