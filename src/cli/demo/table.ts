// Renders the demo's verdict as plain text: one row per OWASP category, then indented lines saying
// what still works through the gateway (the proof, from the finding) or what the gateway refused.
import type { Finding } from '../../core/finding.js';
import type { CategoryRow } from './compare.js';

/** Detail lines are cut here so a row stays readable in an 120-column terminal. */
const DETAIL_WIDTH = 116;
const MAX_DETAILS = 3;

export const TABLE_HEADER = ['Category', 'Audit', 'Direct', 'Through the gateway'] as const;

/** The gateway cell; `bulwark demo`'s test parses `(N of M still open)` back out of it. */
export function gatewayCell(row: CategoryRow): string {
  const n = row.direct.length;
  if (n === 0) {
    return row.onlyThroughGateway.length > 0
      ? `nothing found directly; ${row.onlyThroughGateway.length} through the gateway`
      : 'nothing found directly';
  }
  const untested = row.notRetested.length > 0 ? `, ${row.notRetested.length} not re-tested` : '';
  return `${row.verdict} (${row.stillOpen.length} of ${n} still open${untested})`;
}

export function renderTable(rows: readonly CategoryRow[]): string {
  const cells = rows.map((row) => [
    `${row.owasp.replace(':2023', '').padEnd(5)} ${row.title}`,
    row.auditScore === undefined ? '-' : String(row.auditScore),
    String(row.direct.length),
    gatewayCell(row),
  ]);
  const widths = TABLE_HEADER.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (c: readonly string[]): string =>
    [
      (c[0] ?? '').padEnd(widths[0] ?? 0),
      (c[1] ?? '').padStart(widths[1] ?? 0),
      (c[2] ?? '').padStart(widths[2] ?? 0),
      c[3] ?? '',
    ]
      .join('  ')
      .trimEnd();
  const out = [line(TABLE_HEADER), line(widths.map((w) => '-'.repeat(w)))];
  rows.forEach((row, i) => {
    out.push(line(cells[i] ?? []));
    for (const detail of details(row)) out.push(clip(`        ${detail}`));
  });
  return `${out.join('\n')}\n`;
}

function details(row: CategoryRow): string[] {
  const lines: string[] = [];
  lines.push(...proofs('still open', row.stillOpen));
  lines.push(...proofs('not re-tested', row.notRetested));
  if (row.direct.length > 0) {
    const codes = [...row.refusals]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => `${code} x${n}`);
    // Where nothing was refused, the gateway's policy has no control for this attack (yet).
    lines.push(
      codes.length > 0
        ? `gateway refusals on these operations: ${codes.join(', ')}`
        : 'gateway refusals on these operations: none (its policy has no control that applies)',
    );
  }
  lines.push(...proofs('new through the gateway', row.onlyThroughGateway));
  return lines;
}

/** One line per distinct check (the first finding's message is the proof), at most MAX_DETAILS. */
function proofs(label: string, findings: readonly Finding[]): string[] {
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) byCheck.set(f.id, [...(byCheck.get(f.id) ?? []), f]);
  const lines = [...byCheck].slice(0, MAX_DETAILS).map(([id, list]) => {
    const more = list.length > 1 ? ` (+${list.length - 1} more)` : '';
    return `${label}: ${id}${more}: ${oneLine(list[0]?.message ?? '')}`;
  });
  if (byCheck.size > MAX_DETAILS)
    lines.push(`${label}: and ${byCheck.size - MAX_DETAILS} more checks`);
  return lines;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  return text.length <= DETAIL_WIDTH ? text : `${text.slice(0, DETAIL_WIDTH - 1)}…`;
}
