import { MAX_NEEDLES, type Needle } from './byteScan';

/**
 * An anchor is a piece of text that every line a query matches must contain, as bytes (modulo
 * ASCII case when `ignoreCase`): the fast scan looks for it in the raw file and only decodes and
 * tests the lines that hold it. An anchor may find lines the query does not match (they are then
 * tested and dropped), never miss one, so the fast scan returns exactly what a line-by-line scan
 * does. A query gets a set of anchors when every line it matches holds one of them (a regex
 * alternation: one per branch).
 */
export type Anchor = Needle;

/**
 * Whether a character may be part of an anchor. U+FFFD is what invalid UTF-8 decodes to, so a
 * line can hold it without the bytes EF BF BD; a lone surrogate never survives decoding. Without
 * case, only ASCII folds to ASCII alone: JavaScript's /i never maps a non-ASCII character to an
 * ASCII one, but RE2 folds U+212A (Kelvin) to k and U+017F (long s) to s, so those two letters
 * cannot anchor an RE2 search that ignores case.
 */
function anchorable(ch: string, ignoreCase: boolean, re2: boolean): boolean {
  const code = ch.codePointAt(0)!;
  if (code === 0xfffd || (code >= 0xd800 && code <= 0xdfff)) return false;
  if (!ignoreCase) return true;
  if (code >= 0x80) return false;
  return !(re2 && /[ks]/i.test(ch));
}

/** The longest run of anchorable characters among required pieces of text, or undefined if none. */
function longestRun(pieces: readonly string[], ignoreCase: boolean, re2: boolean): Anchor | undefined {
  let best = '';
  for (const piece of pieces) {
    let run = '';
    for (const ch of piece) {
      if (anchorable(ch, ignoreCase, re2)) run += ch;
      else run = '';
      if (run.length > best.length) best = run;
    }
  }
  return best ? { bytes: Buffer.from(best, 'utf8'), ignoreCase } : undefined;
}

export function literalAnchors(query: string, caseSensitive: boolean): Anchor[] | undefined {
  const anchor = longestRun([query], !caseSensitive, false);
  return anchor && [anchor];
}

/** The index of the "]" that closes the class opened at `start` ("]" right after "[" or "[^" is a member; POSIX [:name:] inside), or undefined. */
function classEnd(pattern: string, start: number): number | undefined {
  let j = start + 1;
  if (pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  for (; j < pattern.length && pattern[j] !== ']'; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern.startsWith('[:', j)) {
      const end = pattern.indexOf(':]', j + 2);
      if (end < 0) return undefined;
      j = end + 1;
    }
  }
  return j < pattern.length ? j : undefined;
}

/** The branches of a pattern's top-level alternation (the whole pattern when it has none), or undefined if the pattern cannot be read. */
export function topLevelBranches(pattern: string): string[] | undefined {
  const branches: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === undefined) return undefined;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(pattern.slice(from, i));
      from = i + 1;
    }
  }
  branches.push(pattern.slice(from));
  return branches;
}

/** Escapes that stand for one character class or position and take no argument. */
const SIMPLE_ESCAPES = new Set('dDsSwWbBAztnrfva');

/**
 * Required literal pieces of an RE2 pattern, found conservatively: runs of plain characters at the
 * top level of the pattern (outside groups and classes), a character dropped when a quantifier can
 * make it absent. Anything this reader does not fully understand (alternation at the top level:
 * split it with topLevelBranches first; inline flags, \Q…\E, \x and \p escapes, octal) gives
 * no anchor, and the line-by-line scan runs.
 */
export function requiredPieces(pattern: string): string[] | undefined {
  const pieces: string[] = [];
  let run = '';
  let depth = 0;
  const cut = () => {
    if (run) pieces.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      i++;
      if (/[A-Za-z0-9]/.test(next)) {
        if (!SIMPLE_ESCAPES.has(next)) return undefined;
        cut();
      } else if (depth === 0) run += next;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === undefined) return undefined;
      i = end;
      cut();
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') return undefined;
      depth++;
      cut();
      continue;
    }
    if (c === ')') {
      depth--;
      cut();
      continue;
    }
    if (c === '|') {
      if (depth === 0) return undefined;
      continue;
    }
    if (c === '*' || c === '?' || c === '{') {
      // The character before may be absent: it leaves the run.
      run = [...run].slice(0, -1).join('');
      cut();
      if (c === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) return undefined;
        i = end;
      }
      if (pattern[i + 1] === '?') i++;
      continue;
    }
    if (c === '+') {
      cut();
      if (pattern[i + 1] === '?') i++;
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      cut();
      continue;
    }
    if (depth === 0) run += c;
  }
  cut();
  return pieces;
}

/**
 * Anchors of an RE2 pattern: the longest required literal of each top-level branch, or undefined
 * when a branch has none (it may match a line without any fixed text) or there are too many to
 * search at once. A branch's anchor that holds another's is dropped: lines with it hold the other.
 */
export function regexAnchors(pattern: string, caseSensitive: boolean): Anchor[] | undefined {
  const branches = topLevelBranches(pattern);
  if (!branches) return undefined;
  const anchors: Anchor[] = [];
  for (const branch of branches) {
    const pieces = requiredPieces(branch);
    const anchor = pieces && longestRun(pieces, !caseSensitive, true);
    if (!anchor) return undefined;
    anchors.push(anchor);
  }
  const folded = (a: Anchor) => (a.ignoreCase ? Buffer.from(a.bytes).toString('latin1').toLowerCase() : Buffer.from(a.bytes).toString('latin1'));
  const kept = anchors.filter((a, i) => !anchors.some((b, j) => j !== i && folded(a).includes(folded(b)) && (folded(a) !== folded(b) || j < i)));
  return kept.length <= MAX_NEEDLES ? kept : undefined;
}
