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
import { commonMessageStart, headerMessageOf, messageOf } from './minerHeader';
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

/**
 * Two values given to one key make "key=<*>", not "<*>": the key stays a constant, and a key given
 * no value ("rhost=") is another shape than a key given one, so it no longer matches.
 */
const KEYED_WILDCARD = `=${WILDCARD}`;
const generalize = (a: string, b: string): string => {
  const eq = a.indexOf('=');
  if (eq <= 0 || eq === a.length - 1 || a.charCodeAt(eq + 1) === 0x3d) return WILDCARD;
  return b.length > eq + 1 && b.startsWith(a.slice(0, eq + 1)) && b.charCodeAt(eq + 1) !== 0x3d ? a.slice(0, eq) + KEYED_WILDCARD : WILDCARD;
};
/** Whether the template token "key=<*>" takes the token: the same key, given a value. */
const isValueOf = (keyed: string, token: string) => token.length > keyed.length - 3 && token.startsWith(keyed.slice(0, -3));

/** A token that is another with a name glued in front ("LOGIN(uid=0)" beside "(uid=0)"): the name makes another event. */
const namedVariant = (named: string, plain: string) =>
  named.length > plain.length && isName(named) && !isName(plain) && named.endsWith(plain) && !isLetter(named.charCodeAt(named.length - plain.length));
const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;

/** Distinct token lists (and, apart, skeletons) remembered; each map is dropped and rebuilt when it fills. */
const MEMORY_SIZE = 20_000;

export class TemplateMiner {
  readonly templates: Template[] = [];
  private readonly root = newNode();
  /** The template each token list joined: the same message always joins the same template (see `add`). */
  private known = new Map<string, Template>();
  /** A cache in front of `known`: the template by the hash of the masked message, found without tokenizing. */
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
   * Messages that differ only in their values (the bulk of any log) have one masked text, so
   * they are matched by its hash without masking, tokenizing and tree search.
   */
  addMessage(message: string): Template | undefined {
    return this.cached(skeletonHash(message, 0), () => tokenize(message));
  }

  /**
   * Adds a raw log line, given where its timestamp is and where its level word ends (as
   * `messageOf` takes them): the same as `addMessage(messageOf(line, timestamp, levelEnd))`.
   */
  addLine(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): Template | undefined {
    // The common header shape is cut by a char-code scan, and the message hashed in place, without a copy of it.
    const start = commonMessageStart(line, timestamp, levelEnd);
    if (start >= 0) return this.cached(skeletonHash(line, start), () => tokenize(line.slice(start)));
    return this.addMessage(headerMessageOf(line, timestamp, levelEnd));
  }

  /**
   * Adds a message by its skeleton hash, computed elsewhere as `skeletonHash` computes it (the
   * lineFields kernel, on bytes): the same as `addMessage(message())`, which is read only when
   * the hash is not cached.
   */
  addSkeleton(key: number, message: () => string): Template | undefined {
    return this.cached(key, () => tokenize(message()));
  }

  /**
   * `addSkeleton` when the key is cached, which is nearly every line: the template, counted, with
   * no message to make; undefined when it is not, and nothing counted (then call `addSkeleton`).
   */
  addCachedSkeleton(key: number): Template | undefined {
    const hit = this.skeletons.get(key);
    if (hit) hit.count++;
    return hit;
  }

  /**
   * A hit gives what `add` would: a skeleton is cached only beside its token list in `known`, and
   * `known` is never emptied without the skeletons. Emptying the skeletons alone changes nothing.
   */
  private cached(key: number, tokens: () => string[]): Template | undefined {
    const hit = this.addCachedSkeleton(key);
    if (hit) return hit;
    const template = this.add(tokens());
    if (template) {
      if (this.skeletons.size >= MEMORY_SIZE) this.skeletons = new Map();
      this.skeletons.set(key, template);
    }
    return template;
  }

  /**
   * Adds a tokenized line; returns its template, or undefined when the template cap is reached.
   * A token list seen before joins the template it joined then: templates only gain wildcards, so
   * another template may later match it as well (with more wildcards), and without this memory
   * one message would move between templates as the log goes on.
   */
  add(tokens: string[]): Template | undefined {
    const key = tokens.join(' ');
    const known = this.known.get(key);
    if (known) {
      known.count++;
      return known;
    }
    const template = this.join(tokens);
    if (template) {
      if (this.known.size >= MEMORY_SIZE) {
        this.known = new Map();
        this.skeletons = new Map();
      }
      this.known.set(key, template);
    }
    return template;
  }

  /** Joins the tokens to the most similar template of their leaf, or starts a template. */
  private join(tokens: string[]): Template | undefined {
    const leaf = this.leafFor(tokens);
    const best = this.closest(leaf.templates, tokens);
    if (best) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = generalize(best.tokens[i]!, tokens[i]!);
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
        if (tt === WILDCARD || (tt.endsWith(KEYED_WILDCARD) && isValueOf(tt, token))) params++;
        else if (tt === token) same++;
        else if ((isName(tt) && isName(token)) || namedVariant(tt, token) || namedVariant(token, tt)) continue next;
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
