import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { classifyApiError, StreamStalledError, type ApiFailureKind } from '../../../src/agent/apiErrors';

const headers = new Headers();
const body = (type: string, message: string) => ({ type: 'error', error: { type, message } });
/** As the SDK makes them: from an HTTP response (`generate`), or from an error event inside a 200 stream (the constructor, no status). */
const api = (status: number | undefined, type: string, message = 'details') =>
  status === undefined ? new Anthropic.APIError(undefined, body(type, message), message, headers) : Anthropic.APIError.generate(status, body(type, message), message, headers);
const cut = (message: string, cause?: unknown) => Object.assign(new Error(message), cause ? { cause } : {});

describe('classifyApiError: one answer to "what failed, is it worth repeating, what do we tell the user"', () => {
  const cases: [name: string, err: unknown, kind: ApiFailureKind, transient: boolean, message: RegExp][] = [
    ['a stalled stream', new StreamStalledError(45_000), 'stalled', true, /stalled: nothing arrived for 45 s/],
    ["the user's cancel", new Anthropic.APIUserAbortError(), 'cancelled', false, /Cancelled/],
    ['no connection', new Anthropic.APIConnectionError({ message: 'connect ECONNREFUSED' }), 'connection', true, /Could not reach the API: connect ECONNREFUSED/],
    ['401', api(401, 'authentication_error'), 'authentication', false, /API key rejected \(401\).*Set API Key/],
    ['403', api(403, 'permission_error', 'no access to model'), 'permission', false, /not allowed to do this \(403\): no access to model/],
    ['429', api(429, 'rate_limit_error', 'slow down'), 'rate_limited', true, /Rate limited by the API \(429\): slow down/],
    ['529', api(529, 'overloaded_error'), 'overloaded', true, /overloaded \(529\)/],
    ['overloaded inside a 200 stream', api(undefined, 'overloaded_error'), 'overloaded', true, /overloaded \(529\)/],
    [
      'a forced tool choice refused',
      api(400, 'invalid_request_error', 'tool_choice forces tool use, which is not supported with thinking'),
      'tool_choice_rejected',
      false,
      /API error 400: tool_choice/,
    ],
    ['another 400', api(400, 'invalid_request_error', 'max_tokens: too large'), 'http', false, /API error 400: max_tokens: too large/],
    ['404', api(404, 'not_found_error', 'model: nope'), 'http', false, /API error 404: model: nope/],
    ['413', api(413, 'request_too_large'), 'http', false, /API error 413/],
    ['500', api(500, 'api_error'), 'http', true, /API error 500/],
    ['408', api(408, 'timeout_error'), 'http', true, /API error 408/],
    ['an api_error event mid-stream', api(undefined, 'api_error', 'Internal server error'), 'stream_error', true, /The API stream failed \(api_error\): Internal server error/],
    ['an invalid_request_error event mid-stream', api(undefined, 'invalid_request_error', 'bad'), 'stream_error', false, /stream failed \(invalid_request_error\)/],
    ['tool arguments that are not JSON', cut('Unable to parse tool parameter JSON', new SyntaxError('Unexpected token')), 'bad_tool_json', true, /not valid JSON/],
    ["undici's terminated", new TypeError('terminated'), 'stream_cut', true, /cut before the response was complete \(terminated\)/],
    ['an end without message_stop', cut('stream ended without producing a Message with role=assistant'), 'stream_cut', true, /cut before the response was complete/],
    ['a reset socket', cut('read ECONNRESET'), 'stream_cut', true, /cut before/],
    ['a bug', new RangeError('Invalid array length'), 'unexpected', false, /^Unexpected error: Invalid array length$/],
    ['not even an Error', 'boom', 'unexpected', false, /^Unexpected error: boom$/],
  ];
  for (const [name, err, kind, transient, message] of cases) {
    it(`${name}: ${kind}, ${transient ? 'retried' : 'not retried'}`, () => {
      const failure = classifyApiError(err);
      assert.equal(failure.kind, kind);
      assert.equal(failure.transient, transient);
      assert.match(failure.message, message);
    });
  }
});
