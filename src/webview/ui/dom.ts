/**
 * Element builders bound to one document: the panel's in the webview, a test's in Node. Text goes
 * in as textContent only, so nothing a model, a log or a tool wrote can become markup here.
 */
export interface Dom {
  readonly doc: Document;
  // Function-valued fields, not methods: callers destructure them, and none of them uses `this`.
  readonly el: <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => HTMLElementTagNameMap[K];
  readonly codicon: (name: string) => HTMLElement;
}

export function domFor(doc: Document): Dom {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  return { doc, el, codicon: (name) => el('span', `codicon codicon-${name}`) };
}
