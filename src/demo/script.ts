/**
 * A model's side of a conversation written down turn by turn: what the demo replays, and what
 * tests script. The replay server streams each turn as the Messages API would.
 */

/** What the model says in one turn. */
export type ScriptedBlock =
  | { type: 'thinking'; thinking: string }
  | { type: 'text'; text: string }
  /** `rawJson` streams exactly these bytes as the input (e.g. malformed JSON) instead of `input`. */
  | { type: 'tool_use'; name: string; input?: unknown; rawJson?: string; id?: string };

export interface ScriptedTurn {
  content: ScriptedBlock[];
  /** Default: `tool_use` when the turn has a tool call, else `end_turn`. `max_tokens` also arises by itself when output exceeds the request's limit. */
  stopReason?: 'end_turn' | 'tool_use' | 'refusal' | 'stop_sequence' | 'pause_turn' | 'model_context_window_exceeded';
}

export interface ScenarioContext {
  /** Assistant messages already in the request: 0 for the first call of a conversation. */
  turnIndex: number;
  /** Requests this server has answered so far. */
  requestIndex: number;
}

export type Scenario = (request: Record<string, unknown>, ctx: ScenarioContext) => ScriptedTurn;

/** Plays turns in order, choosing by how many assistant turns the conversation already has. */
export function scriptedTurns(turns: readonly ScriptedTurn[]): Scenario {
  return (_request, { turnIndex }) => turns[turnIndex] ?? { content: [{ type: 'text', text: `[emulator: scenario has no turn ${turnIndex}]` }], stopReason: 'end_turn' };
}

/** Splits streamed text into small chunks, like the API's deltas (a few words each). */
export function chunkText(text: string, size = 12): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const space = rest.indexOf(' ', size);
    const cut = space === -1 || space > size * 2 ? size : space + 1;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) chunks.push(rest);
  return chunks;
}
