import path from 'node:path';
import { OutsideWorkspaceError, isWithin, resolveInWorkspace } from '../../security/confinement';
import { MAX_EXCERPT_LINES, type EvidenceVerification, type LineEvidence } from '../../shared/report';
import { GzipBombError } from '../../tools/logs/lineReader';
import { readHead, sniffContent } from '../../tools/logs/sniff';
import { NotAFileError, openRegularFile } from '../../tools/regularFile';
import { quoted } from './citing';
import { compileExcerpt, normalizeSpace, spanAt, MAX_COMPARED_LINE_CHARS, MIN_LITERAL_CHARS } from './excerpt';
import { NearestScanner, type Needle, type Occurrence } from './nearestScanner';
import { PlainFile } from './plainFile';
import { ReadLimitError, formatBytes, type ReadMeter } from './readMeter';
import { rotationsOf } from './rotations';
import { scanGzip, scanPlain, type ScanEnd, type SearchLimit } from './scanFile';

/** Lines either side of the cited one looked at first: a model that miscounts is off by a few lines, and reading them costs a few kilobytes. */
export const NEARBY_LINES = 100;
/**
 * Bytes one file and its rotations may be searched beyond the cited lines (decompressed, for
 * gzip): enough for a 1 GiB log and a rotation; past it the reason says what was not read.
 */
export const SEARCH_LIMIT_BYTES = 2 * 2 ** 30;

/** What the check of one log or file item found. */
export interface LineFinding {
  verification: EvidenceVerification;
  /** Where the excerpt was found, for the timeline: the lines it covers, as the file holds them. */
  occurrence?: Occurrence;
}

export interface LineCheckEnv {
  workspaceRoots: readonly string[];
  meter: ReadMeter;
  /** Bytes one file and its rotations may be searched: SEARCH_LIMIT_BYTES unless a test asks for less. */
  searchLimitBytes: number;
  signal?: AbortSignal;
}

interface Cited {
  index: number;
  item: LineEvidence;
  needle: Needle;
}

const unverified = (reason: string): LineFinding => ({ verification: { status: 'unverified', reason } });

/**
 * Checks every log and file item, keyed by its index in the report. Items citing the same file
 * are checked together: one pass reaches all their lines, and one search looks for all that were
 * not there.
 */
export async function checkLineItems(items: readonly { index: number; item: LineEvidence }[], env: LineCheckEnv): Promise<Map<number, LineFinding>> {
  const findings = new Map<number, LineFinding>();
  const byFile = new Map<string, { relative: string; cited: Cited[] }>();
  for (const { index, item } of items) {
    const excerpt = compileExcerpt(item.excerpt);
    if (!excerpt.ok) {
      findings.set(index, unverified(excerpt.reason));
      continue;
    }
    const resolved = await resolve(env.workspaceRoots, item.file);
    if ('reason' in resolved) {
      findings.set(index, unverified(resolved.reason));
      continue;
    }
    const group = byFile.get(resolved.real) ?? { relative: resolved.relative, cited: [] };
    group.cited.push({ index, item, needle: { patterns: excerpt.patterns, cited: item.line } });
    byFile.set(resolved.real, group);
  }
  for (const [real, group] of byFile) {
    for (const [index, finding] of await checkFile(real, group.relative, group.cited, env)) findings.set(index, finding);
  }
  return findings;
}

async function resolve(roots: readonly string[], file: string): Promise<{ real: string; relative: string } | { reason: string }> {
  try {
    return await resolveInWorkspace(roots, file);
  } catch (err) {
    const outside = `${quoted(file)} is outside the workspace`;
    if (err instanceof OutsideWorkspaceError) return { reason: outside };
    // Not the error's own text: it can name absolute paths outside the workspace.
    if (!/^No such file/.test((err as Error).message)) return { reason: `${quoted(file)} cannot be read` };
    // A path that names a place outside the workspace is refused as such, whether or not something is there.
    return { reason: roots.some((root) => isWithin(root, path.resolve(root, file))) ? `no such file: ${quoted(file)}` : outside };
  }
}

/** One cited file: each item at its line, then nearby, then anywhere in the file, then in its rotations. */
async function checkFile(real: string, relative: string, cited: readonly Cited[], env: LineCheckEnv): Promise<Map<number, LineFinding>> {
  const findings = new Map<number, LineFinding>();
  const limit: SearchLimit = { meter: env.meter, stopAt: Number.POSITIVE_INFINITY };
  const notes: string[] = [];
  /** Why the cited file was not read to its end, when the report's read limit stopped it. */
  let stopped: string | undefined;
  let open: Awaited<ReturnType<typeof openRegularFile>>;
  try {
    open = await openRegularFile(real, relative);
  } catch (err) {
    const reason = err instanceof NotAFileError ? `${quoted(relative)} is ${err.kind}, not a regular file` : `${quoted(relative)} cannot be read`;
    for (const c of cited) findings.set(c.index, unverified(reason));
    return findings;
  }
  let remaining = [...cited];
  const settle = (c: Cited, o: Occurrence, file?: string) => {
    const verification: EvidenceVerification = o.line === c.item.line && !file ? { status: 'verified' } : { status: 'moved', line: o.line, ...(file ? { file } : {}) };
    findings.set(c.index, { verification, occurrence: o });
  };
  try {
    const gzip = sniffContent(await readHead(open.handle, 2)) === 'gzip';
    if (!gzip) {
      const plain = new PlainFile(open.handle, open.stats.size, env.meter);
      remaining = await checkNearCitedLines(plain, remaining, settle);
      limit.stopAt = env.meter.bytes + env.searchLimitBytes;
      if (remaining.length > 0) remaining = unfound(remaining, await searchWith(remaining, (s) => scanPlain(plain, s, limit, env.signal), settle, notes, relative, env.signal));
    } else {
      // A gzip file cannot be entered in the middle: one pass from the top finds each item at its line, nearby or anywhere.
      limit.stopAt = env.meter.bytes + env.searchLimitBytes;
      remaining = unfound(remaining, await searchWith(remaining, (s) => scanGzip(real, s, limit, env.signal), settle, notes, relative, env.signal));
    }
  } catch (err) {
    if (!(err instanceof ReadLimitError)) throw err;
    stopped = err.message;
  } finally {
    await open.handle.close();
  }

  let rotationsSearched = 0;
  for (const rotation of remaining.length > 0 && !stopped ? await rotationsOf(real) : []) {
    if (remaining.length === 0 || env.meter.bytes >= limit.stopAt) break;
    const resolved = await resolve(env.workspaceRoots, rotation);
    if ('reason' in resolved) continue; // a rotation that links out of the workspace is not read
    try {
      const found = await searchRotation(resolved.real, remaining, limit, env.signal);
      rotationsSearched++;
      for (const c of remaining) {
        const o = found.get(c.needle);
        if (o) settle(c, o, resolved.relative);
      }
      remaining = remaining.filter((c) => !found.has(c.needle));
    } catch (err) {
      if (err instanceof ReadLimitError) {
        notes.push(err.message);
        break;
      }
      if (env.signal?.aborted) throw err;
      // A rotation that is damaged (a .gz cut short) or unreadable cannot decide the report: it is passed over, and said so.
      if (err instanceof GzipBombError) notes.push(`stopped reading ${quoted(resolved.relative)}: ${err.message}`);
      else if (!(err instanceof NotAFileError)) notes.push(`could not read ${quoted(resolved.relative)} to its end (damaged or unreadable)`);
    }
  }

  const rotations = rotationsSearched > 0 ? ` nor in its ${rotationsSearched === 1 ? 'rotation' : `${rotationsSearched} rotations`}` : '';
  const bounded = env.meter.bytes >= limit.stopAt ? ` within the ${formatBytes(env.searchLimitBytes)} searched (the rest was not read)` : '';
  for (const c of remaining) {
    const short = c.needle.patterns.every((p) => p.wholeLine) ? ` (an excerpt of fewer than ${MIN_LITERAL_CHARS} characters must be a whole line)` : '';
    const notFound = stopped ? `${quoted(relative)} was not read to the end: ${stopped}` : `excerpt not in ${quoted(relative)}${rotations}${bounded}${short}`;
    findings.set(c.index, unverified([notFound, ...notes].join('; ')));
  }
  return findings;
}

/**
 * A plain file: each item's cited line and the NEARBY_LINES around it, reached by counting
 * newlines, in line order so that each item starts where the one before left off. Returns the
 * items found in none of their windows.
 */
async function checkNearCitedLines(plain: PlainFile, cited: readonly Cited[], settle: (c: Cited, o: Occurrence) => void): Promise<Cited[]> {
  const left: Cited[] = [];
  for (const c of [...cited].sort((a, b) => a.item.line - b.item.line)) {
    const first = Math.max(1, c.item.line - NEARBY_LINES);
    const offset = await plain.lineStart(first);
    const raw = offset === undefined ? [] : await plain.readLines(offset, c.item.line + NEARBY_LINES + MAX_EXCERPT_LINES - first);
    const norm = raw.map((l) => normalizeSpace(l.slice(0, MAX_COMPARED_LINE_CHARS)));
    // The cited line first, then outwards: the nearest occurrence wins, the earlier one on a tie.
    const at = c.item.line - first;
    let found: Occurrence | undefined;
    for (let d = 0; d <= NEARBY_LINES && !found; d++) {
      for (const i of d === 0 ? [at] : [at - d, at + d]) {
        if (i < 0 || i >= raw.length) continue;
        const span = spanAt(c.needle.patterns, norm, i);
        if (span > 0) {
          found = { line: first + i, lines: raw.slice(i, i + span) };
          break;
        }
      }
    }
    if (found) settle(c, found);
    else left.push(c);
  }
  return left;
}

/** One scan for several items; records what it found, and a note when the scan could not finish. */
async function searchWith(
  cited: readonly Cited[],
  scan: (scanner: NearestScanner) => Promise<ScanEnd>,
  settle: (c: Cited, o: Occurrence) => void,
  notes: string[],
  relative: string,
  signal: AbortSignal | undefined,
): Promise<NearestScanner> {
  const scanner = new NearestScanner(cited.map((c) => c.needle));
  try {
    await scan(scanner);
  } catch (err) {
    if (err instanceof ReadLimitError || signal?.aborted) throw err;
    // What was read before a damaged part (a .gz cut short) still counts; the reason says where reading stopped.
    notes.push(err instanceof GzipBombError ? `stopped reading ${quoted(relative)}: ${err.message}` : `could not read ${quoted(relative)} to its end (damaged or unreadable)`);
  }
  for (const c of cited) {
    const o = scanner.found.get(c.needle);
    if (o) settle(c, o);
  }
  return scanner;
}

const unfound = (cited: readonly Cited[], scanner: NearestScanner) => cited.filter((c) => !scanner.found.has(c.needle));

async function searchRotation(real: string, cited: readonly Cited[], limit: SearchLimit, signal?: AbortSignal): Promise<Map<Needle, Occurrence>> {
  const scanner = new NearestScanner(cited.map((c) => c.needle));
  const open = await openRegularFile(real);
  try {
    const gzip = sniffContent(await readHead(open.handle, 2)) === 'gzip';
    if (gzip) await scanGzip(real, scanner, limit, signal);
    else await scanPlain(new PlainFile(open.handle, open.stats.size, limit.meter), scanner, limit, signal);
  } finally {
    await open.handle.close();
  }
  return scanner.found;
}
