/**
 * Drain-style log template mining (He et al., ICWS 2017): lines are routed through a fixed-depth
 * tree by token count and their first tokens, then joined to the most similar template in the
 * leaf, or start a new one. Variable parts (numbers, ids, hex, IPs, UUIDs, paths) are masked
 * before mining, so the templates read like "charge failed after <*>ms".
 */

export const WILDCARD = '<*>';

export interface Template {
  id: number;
  tokens: string[];
  count: number;
}

export interface MinerOptions {
  /** Tokens after the length level used for routing (Drain's depth minus 2). */
  routingTokens?: number;
  /** How alike a line must be to a template to join it (0-1). */
  similarity?: number;
  maxChildren?: number;
  /** Once this many templates exist, unmatched lines go to no template (memory stays bounded). */
  maxTemplates?: number;
}

// Order matters: specific shapes first, then anything with a digit in it.
const MASKS: RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUID
  /(?<![\w.-])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.-])/g, // IPv4[:port], not the digits inside a host name
  /\b[\w-]+(?:\.[\w-]+)+:\d{1,5}\b/g, // host:port
  /\b0x[0-9a-f]+\b/gi, // hex literal
  /(?:\/[\w.@%+-]+){2,}\/?/g, // paths
  /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, // long hex ids
  // any token with a digit: numbers, ids, hosts, versions; not an upper-case name with a short suffix (SOCKS5, HTTP2, SHA256)
  /(?<=^|[\s=:,([])(?![A-Z]{2,}\d{1,3}(?=$|[\s=:,()[\]]))[^\s=:,()[\]]*\d[^\s=:,()[\]]*/g,
];

// Dates and times written inside a message ("at Fri Jun 17 07:07:00 2005", "lifetime 00:01") are one value, not four.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DATE_TIME = new RegExp(`\\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?${MONTH}\\s+\\d{1,2},?(?:\\s+\\d{4})?\\s+\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:\\s+\\d{4}\\b)?`, 'g');
const CLOCK = /(?<![\w:])\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?![\w:])/g;

// A quantity's abbreviated unit belongs to the quantity, and so does the same quantity restated in another unit:
// "451 bytes", "<1 sec", "18846 bytes (18.4 KB)" are one parameter each. Spelled-out units ("over 5 seconds") stay words.
const UNIT_NAME = String.raw`(?:bytes|[KMGT]i?B|[kmgt]b|B|ms|us|ns|sec|secs|s|min|mins|h|%)`;
const UNIT = new RegExp(String.raw`<\*>\s*${UNIT_NAME}(?:\s*\(<\*>\s*${UNIT_NAME}\))?(?![\w<])`, 'g');
// A run of parameters joined by punctuation is one parameter: "10.0.0.1,10.0.0.2" and "a:1:2" vary in length from line to line.
const RUN = /<\*>(?:(?:\s*[,;/|+]\s*|[:-])<\*>)+/g;

/** Masks the variable parts of a message and splits it into tokens. */
export function tokenize(message: string): string[] {
  let text = message.replace(DATE_TIME, WILDCARD).replace(CLOCK, WILDCARD);
  for (const re of MASKS) text = text.replace(re, WILDCARD);
  text = text.replace(UNIT, WILDCARD).replace(RUN, WILDCARD);
  return text.split(/\s+/).filter(Boolean);
}

interface Node {
  children: Map<string, Node>;
  templates: Template[];
}

/** Characters that end a token for the digit rule below: whitespace = : , ( ) [ ] */
const isDelimiter = (c: number) => c === 32 || c === 9 || c === 61 || c === 58 || c === 44 || c === 40 || c === 41 || c === 91 || c === 93;

/**
 * A 53-bit hash of a message's skeleton: each token that holds a digit counts as one marker,
 * as `tokenize` turns it into one wildcard, so two messages that differ only in such tokens
 * (numbers, hex ids, hosts) hash alike. Two independent 32-bit hashes make a collision between
 * the cached skeletons of one file vanishingly unlikely, without building a string per line.
 */
function skeletonHash(message: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let t1 = 0;
  let t2 = 0;
  let tokenHasDigit = false;
  const endToken = () => {
    h1 = Math.imul(h1 ^ (tokenHasDigit ? 1 : t1), 0x01000193);
    h2 = Math.imul(h2 ^ (tokenHasDigit ? 1 : t2), 0x5bd1e995);
    h2 ^= h2 >>> 13;
    t1 = 0;
    t2 = 0;
    tokenHasDigit = false;
  };
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (isDelimiter(c)) {
      endToken();
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    } else if (c >= 48 && c <= 57) tokenHasDigit = true;
    else {
      t1 = Math.imul(t1 ^ c, 0x01000193) + 1;
      t2 = Math.imul(t2 ^ c, 0x5bd1e995) + 7;
    }
  }
  endToken();
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff); // 32 + 21 bits
}

const newNode = (): Node => ({ children: new Map(), templates: [] });
const hasDigit = (token: string) => /\d/.test(token);

/** Distinct message skeletons remembered; the cache is dropped and rebuilt when it fills. */
const SKELETON_CACHE_SIZE = 20_000;

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
    this.similarity = options.similarity ?? 0.5;
    this.maxChildren = options.maxChildren ?? 100;
    this.maxTemplates = options.maxTemplates ?? 2000;
  }

  /**
   * Adds a message; returns its template, or undefined when the template cap is reached.
   * Messages that differ only in their digits (the bulk of any log) tokenize the same way, so
   * they are matched by their skeleton without masking and tree search.
   */
  addMessage(message: string): Template | undefined {
    const key = skeletonHash(message);
    const known = this.skeletons.get(key);
    if (known) {
      known.count++;
      return known;
    }
    const template = this.add(tokenize(message));
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

  private closest(candidates: Template[], tokens: string[]): Template | undefined {
    let best: Template | undefined;
    let bestSim = -1;
    let bestParams = -1;
    for (const t of candidates) {
      let same = 0;
      let params = 0;
      for (let i = 0; i < tokens.length; i++) {
        const tt = t.tokens[i]!;
        if (tt === WILDCARD) params++;
        else if (tt === tokens[i]) same++;
      }
      const sim = tokens.length === 0 ? 1 : same / tokens.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = t;
        bestSim = sim;
        bestParams = params;
      }
    }
    return best && bestSim >= this.similarity ? best : undefined;
  }
}

// A syslog-style program tag ending the header: "sshd[24200]: ", "kernel: ", "crond(pam_unix)[2915]: ". The header
// before it may hold a clock ("Nov 9 12:01:01 dn228/dn228 ntpd[7467]: "), so colons between digits do not stop it.
const TAG_END = /^(?:[^:]|(?<=\d):(?=\d)){0,160}?(?:^|\s)[\w.()/-]+(?:\[\d+\])?:\s/;

// The message field of a JSON line (structured loggers: msg, message, Serilog's @m/@mt, Docker's log).
const JSON_MESSAGE = /"(?:msg|message|@m|@mt|log|text)"\s*:\s*"((?:[^"\\]|\\.){0,2000})"/;

// What loggers put between the level and the message, in the order they put it; every part is optional:
// the rest of the level's brackets, "|"-separated fields, a [thread] in brackets, a logger name (dotted
// "org.a.B:", CamelCase "WindowManager:", "chrome.exe - ", or a padded column "CBS    "), the [request
// context] that follows a logger, and a " - " separator.
const BRACKETS = String.raw`\[(?:[^\[\]]|\[[^\[\]]*\]){0,300}\]\s+`;
const DOTTED = String.raw`[\w$][\w$-]*(?:\.[\w$-]+)+|[A-Z]?[a-z0-9]+(?:[A-Z][a-z0-9]*)+`;
const LOGGER = String.raw`(?:(?:${DOTTED})(?::\s+|\s+(?=\[)|(?:\s+\S{1,8}?)?\s+-\s+)|[A-Za-z][\w$.-]{0,40} {2,})`;
const HEADER = new RegExp(String.raw`^[\s\]),:]*(?:\|(?:[^|]{0,80}\|)+)?(?:${BRACKETS})?(?:${LOGGER}(?:${BRACKETS})?)?(?:-\s+)?`);

/**
 * The message part of a line, so that mining sees the event and not its header: a JSON line's
 * message field; otherwise the timestamp is cut out, and the header is cut at the level word or
 * a program tag when the line has one, then past a thread, logger name and request context.
 */
export function messageOf(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): string {
  if (line.charCodeAt(0) === 0x7b /* { */) {
    const json = JSON_MESSAGE.exec(line);
    if (json) return json[1]!;
  }
  const afterTime = timestamp ? timestamp.index + timestamp.length : 0;
  // With a level, only a tag before it matters: search just that stretch, as this runs on every line.
  const tag = TAG_END.exec(levelEnd !== undefined && levelEnd > afterTime ? line.slice(afterTime, levelEnd) : afterTime ? line.slice(afterTime) : line);
  const tagEnd = tag ? afterTime + tag[0].length : undefined;
  let start = afterTime;
  // A level word after the program tag is part of the message ("ntpd[7]: Warning: ..."); one that ends the line is no header.
  if (levelEnd !== undefined && levelEnd > afterTime && levelEnd < line.length && (tagEnd === undefined || levelEnd < tagEnd)) start = levelEnd;
  else if (tagEnd !== undefined) start = tagEnd;
  const rest = start ? line.slice(start) : line;
  const header = HEADER.exec(rest)!;
  return header[0].length ? rest.slice(header[0].length) : rest;
}
