import type { Span } from './redactionSpans';

/**
 * Private-key material, with or without its armour. A whole PEM block keeps its BEGIN and END
 * lines (evidence that a key was logged) and loses its body. Tool results often hold only part
 * of a key — `read_log` of lines in its middle, a search hit on one body line — so base64 runs
 * shaped like key bodies are masked on their own:
 * - a run that starts like a DER private key (`MIIEowIB…`, `MHcCAQEE…`) or an OpenSSH key;
 * - a run exactly as long as a PEM (64) or OpenSSH (70) body line, as evenly mixed as random
 *   bytes in base64 are (hex digests, UUIDs, ids and paths are not, or have another length);
 * - the lines that continue such a run, or follow a BEGIN line, or precede an END line (also when
 *   a logger prefixed each line), down to the short last line of a body.
 *
 * Certificates and public keys are evidence (an expired or mismatched certificate is a common
 * incident's cause): a whole `BEGIN CERTIFICATE` or `BEGIN PUBLIC KEY` block stays as it is, even
 * though its 64-character lines look like a key's. Lines of one seen without their armour cannot be
 * told from a private key's and are masked.
 */

const KIND = 'private-key';
const ARMOUR_LABEL = '[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?';
const BEGIN_LINE = new RegExp(`-----BEGIN ${ARMOUR_LABEL}-----`, 'g');
const END_LINE = new RegExp(`-----END ${ARMOUR_LABEL}-----`, 'g');
/** Armour of public material, kept whole: certificates, requests, revocation lists, public keys. */
const PUBLIC_BEGIN = /-----BEGIN (?<label>(?:TRUSTED |X509 )?CERTIFICATE(?: REQUEST)?|NEW CERTIFICATE REQUEST|X509 CRL|[A-Z0-9]{0,16} ?PUBLIC KEY)-----/g;
/** Longer than any private key's body (an 8192-bit RSA key is about 6,500 characters). */
const MAX_BODY = 16_384;

/** A base64 run not glued to other base64; `\n` written as two characters (JSON) separates runs. */
const RUN = /(?:(?<=\\[nr])|(?<![A-Za-z0-9+/=\\]))[A-Za-z0-9+/]{40,16384}={0,2}/g;
/**
 * How DER private keys begin in base64: a SEQUENCE, then the INTEGER version (`IB`/`AgE` below),
 * where a certificate has a second SEQUENCE (`MIIDdzCC…`), so a certificate's first line never
 * matches. Its other lines are as random as a key's: certificates stay evidence because their
 * armoured blocks are left out (`publicBlocks`), not because of this pattern.
 * PKCS#1 and PKCS#8 (`MIIEowIB…`, `MIIEvQIB…`), EC (`MHcCAQEE…`, `MIGHAgE…`), Ed25519
 * (`MC4CAQAw…`) and OpenSSH (`openssh-key-v1`).
 */
const KEY_MAGIC = /^(?:MII[A-Za-z0-9+/]{3}IB|MIG[A-Za-z0-9+/]AgE|MHcCAQEE|MC4CAQAw|b3BlbnNzaC1rZXktdjE)/;
const PEM_LINE_LENGTHS = new Set([64, 70]);
/** A digest in base64 (`sha384-…`, as in subresource integrity) is not key material. */
const DIGEST_PREFIX = /sha(?:256|384|512)[-:=]$/i;

/** Line break (real or JSON-escaped), an optional line-number prefix (`12| `, `12: `, `12- `), then a run alone on its line. */
const LINE_BREAK = '(?:\\r?\\n|\\\\r?\\\\n)(?:[ \\t]{0,8}\\d{1,9}[|:-] ?)?[ \\t]{0,8}';
const LINE_END = '(?=[ \\t]{0,8}(?:\\r?\\n|\\\\[nr]|["\',]|$))';
const NEXT_BODY_LINE = new RegExp(`${LINE_BREAK}(?<run>[A-Za-z0-9+/]{4,76}={0,2})${LINE_END}`, 'dy');
/** The END line may carry the same log prefix as the body lines (`2024-05-01T12:00:00Z ERROR dump: -----END …`). */
const LAST_BODY_LINE = new RegExp(`(?<![A-Za-z0-9+/=])(?<run>[A-Za-z0-9+/]{4,76}={0,2})[ \\t]{0,8}(?:\\r?\\n|\\\\r?\\\\n)[^\\r\\n\\\\]{0,160}?-----END ${ARMOUR_LABEL}-----`, 'dg');

export function keyMaterialSpans(text: string): Span[] {
  const publicRanges = publicBlocks(text);
  const isPublic = (span: Span) => publicRanges.some(([start, end]) => span.start >= start && span.end <= end);
  return [...armouredBodies(text), ...[...headlessBodies(text), ...lastLinesBeforeEnd(text)].filter((span) => !isPublic(span))];
}

/** [start, end) of each certificate or public-key block, BEGIN line to its END line. */
function publicBlocks(text: string): [number, number][] {
  const blocks: [number, number][] = [];
  let after = 0;
  for (const begin of text.matchAll(PUBLIC_BEGIN)) {
    if (begin.index < after) continue;
    const endLine = `-----END ${begin.groups!.label!}-----`;
    const end = text.indexOf(endLine, begin.index + begin[0].length);
    if (end < 0 || end - begin.index > MAX_BODY) continue;
    after = end + endLine.length;
    blocks.push([begin.index, after]);
  }
  return blocks;
}

/**
 * BEGIN … END: the body between a BEGIN line and the next END line, without the whitespace around
 * it. BEGIN and END lines are found in one pass each and paired in order, so a text full of BEGIN
 * lines without END costs no more than one without.
 */
function armouredBodies(text: string): Span[] {
  const spans: Span[] = [];
  const ends = [...text.matchAll(END_LINE)].map((m) => m.index);
  let next = 0;
  for (const begin of text.matchAll(BEGIN_LINE)) {
    const start = begin.index + begin[0].length;
    while (next < ends.length && ends[next]! < start) next++;
    const end = ends[next];
    if (end === undefined || end - start > MAX_BODY) continue;
    const [from, to] = withoutBlankEdges(text, start, end);
    if (from < to) spans.push({ start: from, end: to, kind: KIND });
  }
  return spans;
}

/** [start, end) without the whitespace, and the `\n` a JSON string writes, at either edge. */
function withoutBlankEdges(text: string, start: number, end: number): [number, number] {
  const escapedBreak = (at: number) => text[at] === '\\' && (text[at + 1] === 'n' || text[at + 1] === 'r');
  for (;;) {
    if (start < end && /\s/.test(text[start]!)) start += 1;
    else if (start + 2 <= end && escapedBreak(start)) start += 2;
    else break;
  }
  for (;;) {
    if (end > start && /\s/.test(text[end - 1]!)) end -= 1;
    else if (end - 2 >= start && escapedBreak(end - 2)) end -= 2;
    else break;
  }
  return [start, end];
}

function looksLikeKeyLine(run: string): boolean {
  return (run.length >= 40 && KEY_MAGIC.test(run)) || (PEM_LINE_LENGTHS.has(run.length) && looksUniformlyRandom(run));
}

/**
 * Random base64 of this length has about 26 upper-case letters, 26 lower-case and 10 digits;
 * fewer than 8, 8 and 2 is vanishingly rare for key bytes, and usual for paths and words joined
 * by `/` (`…/IncomingWebhook/…`), hex and ids.
 */
function looksUniformlyRandom(run: string): boolean {
  const count = (re: RegExp) => run.match(re)?.length ?? 0;
  return count(/[A-Z]/g) >= 8 && count(/[a-z]/g) >= 8 && count(/\d/g) >= 2;
}

/** The short last line of a body also has letters and digits or padding: not a word like `done`. */
function looksLikeBodyLine(run: string): boolean {
  return run.length >= 8 && (/[\d+/=]/.test(run) || (/[A-Z]/.test(run) && /[a-z]/.test(run)));
}

/** Runs that look like key lines, and the body lines that follow them or a BEGIN line. */
function headlessBodies(text: string): Span[] {
  const spans: Span[] = [];
  const starts: number[] = [];
  for (const m of text.matchAll(RUN)) {
    if (!looksLikeKeyLine(m[0]) || DIGEST_PREFIX.test(text.slice(Math.max(0, m.index - 7), m.index))) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, kind: KIND });
    starts.push(m.index + m[0].length);
  }
  for (const m of text.matchAll(BEGIN_LINE)) starts.push(m.index + m[0].length);
  // A body's lines are each a start; following the first one covers the rest, so skip them.
  let covered = -1;
  for (const from of starts.sort((a, b) => a - b)) {
    if (from <= covered) continue;
    const lines = followingBodyLines(text, from);
    spans.push(...lines);
    covered = lines.at(-1)?.end ?? from;
  }
  return spans;
}

function followingBodyLines(text: string, from: number): Span[] {
  const spans: Span[] = [];
  let at = from;
  for (;;) {
    NEXT_BODY_LINE.lastIndex = at;
    const m = NEXT_BODY_LINE.exec(text);
    if (!m || !looksLikeBodyLine(m.groups!.run!)) return spans;
    const [start, end] = m.indices!.groups!.run!;
    spans.push({ start, end, kind: KIND });
    at = end;
  }
}

/** An END line whose BEGIN is not in the text: the body line just above it. */
function lastLinesBeforeEnd(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(LAST_BODY_LINE)) {
    const [start, end] = m.indices!.groups!.run!;
    if (looksLikeBodyLine(m.groups!.run!)) spans.push({ start, end, kind: KIND });
  }
  return spans;
}
