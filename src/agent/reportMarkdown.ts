import type { TriageReport } from '../shared/report';

/** The report as Markdown, for export and for pasting into an incident channel. */
export function reportToMarkdown(r: TriageReport): string {
  const lines = [
    `# ${r.title}`,
    '',
    `**Severity:** ${r.severity} · **Confidence:** ${Math.round(r.confidence * 100)}%${r.affected_services.length ? ` · **Affected:** ${r.affected_services.join(', ')}` : ''}`,
    '',
    r.summary,
    '',
    '## Suspected root cause',
    '',
    r.suspected_root_cause,
  ];
  if (r.evidence.length) {
    lines.push('', '## Evidence', '');
    for (const e of r.evidence) lines.push(`- \`${e.file}:${e.line}\` — ${e.why}`, `  \`\`\`\n  ${e.excerpt.replace(/\n/g, '\n  ')}\n  \`\`\``);
  }
  if (r.timeline.length) {
    lines.push('', '## Timeline', '', '| time | event |', '|---|---|');
    for (const t of r.timeline) lines.push(`| ${t.time} | ${t.event.replace(/\|/g, '\\|')} |`);
  }
  lines.push('', '## Next steps', '', ...r.next_steps.map((s, i) => `${i + 1}. ${s}`), '');
  return lines.join('\n');
}
