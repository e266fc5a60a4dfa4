/**
 * Everything a run needs from the engine, bundled apart (dist/engine.js) so that activating the
 * extension parses only the thin adapter; this loads on the first triage.
 */
export { previewTriage, startTriage } from '../engine/startTriage';
export { McpConfigError, startMcpServers } from '../engine/mcpServers';
export { lentToolRegistry } from '../engine/lentTools';
