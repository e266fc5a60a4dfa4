import type { EvidenceItem, EvidenceVerification } from '../../shared/report';
import { quoted } from './citing';
import type { RunObservations } from './observations';

type ChangeEvidence = Extract<EvidenceItem, { kind: 'deploy' | 'commit' }>;

/** Git's shortest abbreviation by default: fewer hex digits name no commit reliably. */
const MIN_HASH_CHARS = 7;
const HASH = new RegExp(`^[0-9a-f]{${MIN_HASH_CHARS},64}$`, 'i');
const HASHES_IN_TEXT = new RegExp(`(?<![0-9a-z])[0-9a-f]{${MIN_HASH_CHARS},64}(?![0-9a-z])`, 'gi');

/**
 * A deploy or commit must appear in a get_recent_deploys result of this run. A hash matches
 * another that it starts, or that starts it (the tool prints ten digits; the model may cite seven
 * or the full forty), in any case. Anything else — a deploy id, a version, a tag — must appear as
 * a whole token that holds a digit: "2.14" does not match "2.14.0", and a bare word such as a
 * service name or an author is not a deploy.
 */
export function checkChange(item: ChangeEvidence, observations: RunObservations): EvidenceVerification {
  const texts = observations.of('get_recent_deploys').map((o) => o.text);
  if (texts.length === 0) return { status: 'unverified', reason: `no get_recent_deploys result in this run to find ${item.kind} ${quoted(item.ref)} in` };
  const ref = item.ref.trim();
  // Versions, deploy ids, tags and hashes carry a digit; a bare word ("payments", "ago") would verify as a deploy anywhere the tool printed it.
  if (!/\d/.test(ref)) return { status: 'unverified', reason: `${quoted(item.ref)} is not a version, deploy id or commit hash (cite one exactly as get_recent_deploys showed it)` };
  if (texts.some((text) => (HASH.test(ref) && hashIn(ref, text)) || tokenIn(ref, text))) return { status: 'verified' };
  return { status: 'unverified', reason: `${item.kind} ${quoted(item.ref)} is not in this run's get_recent_deploys results` };
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
