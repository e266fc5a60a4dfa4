import type http from 'node:http';

/** An error as the API answers it: the HTTP status and the `error.type` and `error.message` of the body. */
export interface ApiErrorSpec {
  status: number;
  type: string;
  message: string;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The API's error body: `{ type: 'error', error: { type, message }, request_id }`. */
export function sendApiError(res: http.ServerResponse, requestId: string, error: ApiErrorSpec, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { type: 'error', error: { type: error.type, message: error.message }, request_id: requestId }, headers);
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
