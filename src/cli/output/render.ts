/** Pure renderers: result objects in, text out. The commands print what these return. */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ArtifactInfo, ProjectInfo } from '../../api/info.js';
import type { RegistryInfo } from '../../api/registry.js';
import type { ProjectSummary } from '../../registry/query.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  width: number;
  color: boolean;
}

const licenseCell = (s: Pick<ProjectSummary, 'license' | 'nonCommercial'>): string =>
  s.nonCommercial ? `${s.license} (NC)` : s.license;

/** The `list` table. */
export async function renderProjectTable(
  rows: ProjectSummary[],
  { width, color }: RenderOptions,
): Promise<string> {
  if (rows.length === 0) return 'No project matches.';
  return renderTable({
    head: ['id', 'name', 'modalities', 'tasks', 'kind', 'licence', 'ckpts'],
    rows: rows.map((s) => [
      s.id,
      s.name,
      s.modalities.join(', ') || '-',
      s.tasks.join(', ') || '-',
      s.kind,
      licenseCell(s),
      String(s.checkpoints),
    ]),
    width,
    color,
    flex: [0, 2, 2, 3, 0, 1, 0],
    droppable: [1, 4],
  });
}

/** The `search` table: like list, with the fields that matched. */
export async function renderSearchTable(
  rows: Array<ProjectSummary & { matched: string[] }>,
  { width, color }: RenderOptions,
): Promise<string> {
  if (rows.length === 0) return 'No project matches.';
  return renderTable({
    head: ['id', 'name', 'modalities', 'matched', 'summary'],
    rows: rows.map((s) => [s.id, s.name, s.modalities.join(', ') || '-', s.matched.join(', '), s.summary]),
    width,
    color,
    flex: [0, 1, 1, 1, 4],
  });
}

function renderArtifact(a: ArtifactInfo, chalk: ChalkInstance): string[] {
  const facts = [
    a.filename,
    a.size !== undefined ? `${a.size} bytes` : undefined,
    a.sha256 ? `sha256 ${a.sha256}` : 'no published checksum',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `  ${chalk.bold(a.name)}${a.thirdParty ? ' (third-party base model)' : ''}: ${a.description ?? ''}`.trimEnd(),
  ];
  lines.push(`    ${facts}`);
  a.sources.forEach((s, i) => {
    lines.push(`    ${i + 1}. ${s.host}: ${s.openUrl}${s.needs ? `  [${s.needs}]` : ''}`);
    if (s.note) lines.push(`       ${s.note}`);
  });
  for (const note of a.notes ?? []) lines.push(`    note: ${note}`);
  return lines;
}

/** The `info` text. */
/** Colours only when asked: chalk alone would colour pipes and ignore NO_COLOR. */
export function renderProjectInfo(p: ProjectInfo, color: boolean): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  out.push(`${chalk.bold(p.name)} (${p.id}) — ${p.kind}`);
  out.push(p.summary);
  const nc = p.nonCommercial ? chalk.yellow('  NON-COMMERCIAL USE ONLY') : '';
  out.push(`licence:    ${p.license.spdx}${nc}`);
  if (p.license.note) out.push(`            ${p.license.note}`);
  out.push(`modalities: ${p.modalities.join(', ') || '-'}`);
  out.push(`tasks:      ${p.tasks.join(', ') || '-'}`);
  if (p.organs.length) out.push(`organs:     ${p.organs.join('; ')}`);
  if (p.aliases.length) out.push(`aliases:    ${p.aliases.join(', ')}`);
  if (p.paper) {
    const where = [p.paper.venue, p.paper.year].filter(Boolean).join(' ');
    out.push(`paper:      ${p.paper.title}${where ? ` (${where})` : ''}`);
    const ids = [
      p.paper.doi && `doi:${p.paper.doi}`,
      p.paper.arxiv && `arXiv:${p.paper.arxiv}`,
      p.paper.url,
    ].filter(Boolean);
    if (ids.length) out.push(`            ${ids.join('  ')}`);
  }
  out.push(`repository: ${p.repo.url} @ ${p.repo.commit}`);
  if (p.code)
    out.push(
      `code:       ${p.code.url} @ ${p.code.commit}${p.code.subfolder ? ` (folder "${p.code.subfolder}")` : ''}`,
    );
  out.push(`cite:       ${p.bibtex ? `openmedlab cite ${p.id}` : 'no BibTeX published'}`);
  out.push('', `checkpoints (${p.checkpoints.length}), sources in the order they are tried:`);
  if (p.checkpoints.length === 0) out.push('  none published');
  for (const a of p.checkpoints) out.push(...renderArtifact(a, chalk));
  if (p.datasets.length) {
    out.push('', `datasets (${p.datasets.length}):`);
    for (const a of p.datasets) out.push(...renderArtifact(a, chalk));
  }
  if (p.notes.length) out.push('', 'notes:', ...p.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}

/** The `registry info` text. */
export function renderRegistryInfo(r: RegistryInfo): string {
  const pairs = (o: Record<string, number>): string =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `format:      ${r.schemaVersion} (this openmedlab reads up to ${r.supportedSchemaVersion})`,
    `data:        ${r.version}`,
    `file:        ${r.file}${r.bundled ? ' (bundled)' : ''}`,
    `sha256:      ${r.sha256}`,
    `projects:    ${r.counts.projects} (${pairs(r.counts.byKind)})`,
    `checkpoints: ${r.counts.checkpoints}`,
    `datasets:    ${r.counts.datasets}`,
    `sources:     ${pairs(r.counts.byHost)}`,
  ].join('\n');
}
