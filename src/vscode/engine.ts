/**
 * Everything a run needs from the engine, bundled apart (dist/engine.js) so that activating the
 * extension parses only the thin adapter; this loads on the first triage.
 */
export { default as Anthropic } from '@anthropic-ai/sdk';
export { previewRequest, runTriage } from '../agent/runTriage';
export { createDefaultRegistry } from '../tools/defaultRegistry';
