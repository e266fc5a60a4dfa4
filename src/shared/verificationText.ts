import type { VerificationSummary } from './report';

/** One line on a report's evidence checks, the same in the panel, the terminal, the export and the model's receipt. */
export function verificationText(v: VerificationSummary): string {
  const total = v.verified + v.moved + v.unverified;
  if (total === 0) return 'No evidence items to verify.';
  const parts = [`${v.verified} of ${total} evidence item${total === 1 ? '' : 's'} verified`];
  if (v.moved) parts.push(`${v.moved} found at another line`);
  if (v.unverified) parts.push(`${v.unverified} unverified`);
  if (v.timelineDisagreements) parts.push(`${v.timelineDisagreements} timeline entr${v.timelineDisagreements === 1 ? 'y disagrees' : 'ies disagree'} with its line`);
  return parts.join(' · ');
}
