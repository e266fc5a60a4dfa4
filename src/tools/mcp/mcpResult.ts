import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * An MCP tool result as text for the model: text blocks as they are; what the model cannot read
 * here (images, audio, binary resources) as one line saying what was left out; structured
 * content as JSON when the server gave no text. Redaction and the size bound come after, in the
 * registry, as for every tool.
 */
export function resultText(result: CallToolResult): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
      case 'audio':
        parts.push(`[${block.type} (${block.mimeType}, ${Math.round((block.data.length * 3) / 4).toLocaleString('en-US')} bytes) not shown: this client passes text only]`);
        break;
      case 'resource_link':
        parts.push(`[resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}]`);
        break;
      case 'resource':
        parts.push('text' in block.resource ? block.resource.text : `[binary resource ${block.resource.uri}${block.resource.mimeType ? ` (${block.resource.mimeType})` : ''} not shown]`);
        break;
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  return parts.join('\n');
}
