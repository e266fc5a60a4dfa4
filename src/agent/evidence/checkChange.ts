import type { EvidenceItem, EvidenceVerification } from '../../shared/report';
import { quoted } from './citing';
import type { RunObservations } from './observations';

type ChangeEvidence = Extract<EvidenceItem, { kind: 'deploy' | 'commit' }>;

/** Git's shortest abbreviation by default: fewer hex digits name no commit reliably. */
const MIN_HASH_CHARS = 7;
const HASH = new RegExp(`^[0-9a-f]{${MIN_HASH_CHARS},64}$`, 'i');
const HASHES_IN_TEXT = new RegExp(`(?<![0-9a-z])[0-9a-f]{${MIN_HASH_CHARS},64}(?![0-9a-z])`, 'gi');

/**
 * Where this run showed the model deploys and commits, all read by the same code from git and the
 * deploy records: get_recent_deploys, compare_log_windows (the change before each new template) and
 * the first look (recorded under this name by the run, as the model read it).
 */
export const CHANGE_SOURCES = ['get_recent_deploys', 'compare_log_windows', 'first_look'] as const;
const SOURCES_TEXT = 'get_recent_deploys, compare_log_windows or the first look';

/**
 * A deploy or commit must appear in a result of this run that lists changes (CHANGE_SOURCES). A hash matches
 * another that it starts, or that starts it (the tool prints ten digits; the model may cite seven
 * or the full forty), in any case. Anything else — a deploy id, a version, a tag — must appear as
 * a whole token that holds a digit: "2.14" does not match "2.14.0", and a bare word such as a
 * service name or an author is not a deploy.
 */
export function checkChange(item: ChangeEvidence, observations: RunObservations): EvidenceVerification {
  const texts = CHANGE_SOURCES.flatMap((name) => observations.of(name).map((o) => o.text));
  if (texts.length === 0) return { status: 'unverified', reason: `no ${SOURCES_TEXT} result in this run to find ${item.kind} ${quoted(item.ref)} in` };
  const ref = item.ref.trim();
  // Versions, deploy ids, tags and hashes carry a digit; a bare word ("payments", "ago") would verify as a deploy anywhere the tool printed it.
  if (!/\d/.test(ref)) return { status: 'unverified', reason: `${quoted(item.ref)} is not a version, deploy id or commit hash (cite one exactly as ${SOURCES_TEXT} showed it)` };
  if (texts.some((text) => (HASH.test(ref) && hashIn(ref, text)) || tokenIn(ref, text))) return { status: 'verified' };
  return { status: 'unverified', reason: `${item.kind} ${quoted(item.ref)} is not in this run's ${SOURCES_TEXT} results` };
}

function hashIn(ref: string, text: string): boolean {
  const wanted = ref.toLowerCase();
  for (const [hash] of text.matchAll(HASHES_IN_TEXT)) {
    const found = hash.toLowerCase();
    if (found.startsWith(wanted) || wanted.startsWith(found)) return true;
  }
  return false;
}

/** `ref` with nothing of a longer name or version joined to it on either side ("v2.14.0." at the end of a sentence still counts). */
function tokenIn(ref: string, text: string): boolean {
  if (!ref) return false;
  const escaped = ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`, 'i').test(text);
}
