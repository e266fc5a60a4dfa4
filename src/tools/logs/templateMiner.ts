/**
 * Drain-style log template mining (He et al., ICWS 2017): lines are routed through a fixed-depth
 * tree by token count and their first tokens, then joined to the most similar template in the
 * leaf, or start a new one. Variable parts (numbers, ids, hex, IPs, UUIDs, paths) are masked
 * before mining (minerTokens.ts), so the templates read like "charge failed after <*>ms"; the
 * header of a raw line is cut off first (minerHeader.ts).
 *
 * Template ids never change: a template is created with the next id, later lines only turn
 * more of its tokens into wildcards, and templates are never merged.
 */
import { messageOf } from './minerHeader';
import { WILDCARD, skeletonHash, tokenize } from './minerTokens';

export { WILDCARD, messageOf, tokenize };

export interface Template {
  id: number;
  tokens: string[];
  count: number;
}

export interface MinerOptions {
  /** Tokens after the length level used for routing (Drain's depth minus 2). */
  routingTokens?: number;
  /** How alike a line must be to a template to join it (0-1): the share of its tokens that the template has, or has as a wildcard. */
  similarity?: number;
  maxChildren?: number;
  /** Once this many templates exist, unmatched lines go to no template (memory stays bounded). */
  maxTemplates?: number;
}

interface Node {
  children: Map<string, Node>;
  templates: Template[];
}

const newNode = (): Node => ({ children: new Map(), templates: [] });
const hasDigit = (token: string) => /\d/.test(token);

/**
 * A capitalised word is a name the program wrote, not a value it was given: a state ("VM Started"
 * / "VM Paused"), a protocol ("HTTPS" / "SOCKS5"), a client ("by client WindowsUpdateAgent."). Two
 * different names at one position make two events, however alike the rest of the line is.
 */
const isName = (token: string) => {
  const c = token.charCodeAt(0);
  return c >= 65 && c <= 90;
};

/** Distinct skeletons remembered; the cache is dropped and rebuilt when it fills. */
const SKELETON_CACHE_SIZE = 20_000;
/** Seeds that keep the skeletons of whole lines and of bare messages apart in one cache. */
const MESSAGE_SEED = 0;
const LINE_SEED = 0x5bd1e995;

export class TemplateMiner {
  readonly templates: Template[] = [];
  private readonly root = newNode();
  private skeletons = new Map<number, Template>();
  private readonly routingTokens: number;
  private readonly similarity: number;
  private readonly maxChildren: number;
  private readonly maxTemplates: number;

  constructor(options: MinerOptions = {}) {
    this.routingTokens = options.routingTokens ?? 2;
    this.similarity = options.similarity ?? 0.8;
    this.maxChildren = options.maxChildren ?? 100;
    this.maxTemplates = options.maxTemplates ?? 2000;
  }

  /**
   * Adds a message; returns its template, or undefined when the template cap is reached.
   * Messages that differ only in their digits (the bulk of any log) tokenize the same way, so
   * they are matched by their skeleton without masking and tree search.
   */
  addMessage(message: string): Template | undefined {
    return this.cached(skeletonHash(message, 0, MESSAGE_SEED), () => tokenize(message));
  }

  /**
   * Adds a raw log line, given where its timestamp is and where its level word ends (as
   * `messageOf` takes them). The same as `addMessage(messageOf(line, timestamp, levelEnd))`, but
   * a line whose skeleton was seen before (most lines) is matched by one pass over its
   * characters, without cutting its header or masking it: lines alike after the timestamp have
   * alike headers, so they have the same message skeleton.
   */
  addLine(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): Template | undefined {
    // A JSON line's message may come before its timestamp field, so its whole text is the skeleton.
    const start = timestamp && line.charCodeAt(0) !== 0x7b /* { */ ? timestamp.index + timestamp.length : 0;
    return this.cached(skeletonHash(line, start, LINE_SEED), () => tokenize(messageOf(line, timestamp, levelEnd)));
  }

  private cached(key: number, tokens: () => string[]): Template | undefined {
    const known = this.skeletons.get(key);
    if (known) {
      known.count++;
      return known;
    }
    const template = this.add(tokens());
    if (template) {
      if (this.skeletons.size >= SKELETON_CACHE_SIZE) this.skeletons = new Map();
      this.skeletons.set(key, template);
    }
    return template;
  }

  /** Adds a tokenized line; returns its template, or undefined when the template cap is reached. */
  add(tokens: string[]): Template | undefined {
    const leaf = this.leafFor(tokens);
    const best = this.closest(leaf.templates, tokens);
    if (best) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILDCARD;
      best.count++;
      return best;
    }
    if (this.templates.length >= this.maxTemplates) return undefined;
    const template: Template = { id: this.templates.length, tokens: [...tokens], count: 1 };
    this.templates.push(template);
    leaf.templates.push(template);
    return template;
  }

  private leafFor(tokens: string[]): Node {
    let node = this.child(this.root, String(tokens.length));
    const depth = Math.min(this.routingTokens, tokens.length);
    for (let i = 0; i < depth; i++) {
      const token = tokens[i]!;
      const key = hasDigit(token) ? WILDCARD : token;
      node = node.children.has(key) || node.children.size < this.maxChildren ? this.child(node, key) : this.child(node, WILDCARD);
    }
    return node;
  }

  private child(node: Node, key: string): Node {
    let next = node.children.get(key);
    if (!next) node.children.set(key, (next = newNode()));
    return next;
  }

  /**
   * The template in the leaf most like the tokens. A wildcard the template already has matches
   * any token: a template that has learnt a parameter is not less like each new line for it.
   */
  private closest(candidates: Template[], tokens: string[]): Template | undefined {
    let best: Template | undefined;
    let bestSim = -1;
    let bestParams = -1;
    next: for (const t of candidates) {
      let same = 0;
      let params = 0;
      for (let i = 0; i < tokens.length; i++) {
        const tt = t.tokens[i]!;
        const token = tokens[i]!;
        if (tt === WILDCARD) params++;
        else if (tt === token) same++;
        else if (isName(tt) && isName(token)) continue next;
      }
      const sim = tokens.length === 0 ? 1 : (same + params) / tokens.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = t;
        bestSim = sim;
        bestParams = params;
      }
    }
    return best && bestSim >= this.similarity ? best : undefined;
  }
}
