import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/**
 * Model text as Markdown. It is untrusted (it quotes logs): raw HTML is off in the parser, and
 * the sanitizer removes anything that could load or navigate — no images, styles, frames, forms,
 * links or sources — should markup get through anyway.
 */
export function markdownRenderer(window: Window & typeof globalThis): (source: string) => string {
  const md = new MarkdownIt({ html: false, linkify: false, breaks: true });
  const purify = DOMPurify(window);
  return (source) => purify.sanitize(md.render(source), { FORBID_TAGS: ['img', 'style', 'iframe', 'form', 'input'], FORBID_ATTR: ['href', 'src', 'style', 'srcset', 'action'] });
}
