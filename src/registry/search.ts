/** Ranked full-text search over projects. Pure. */
import type { Project, Registry } from './types.js';

/** One search hit: the project, its score, and the fields that matched. */
export interface SearchHit {
  project: Project;
  score: number;
  matched: string[];
}

type FieldText = [field: string, weight: number, values: string[]];

function fieldsOf(p: Project): FieldText[] {
  return [
    ['id', 10, [p.id]],
    ['aliases', 9, p.aliases],
    ['name', 8, [p.name]],
    ['tasks', 5, p.tasks],
    ['modalities', 5, p.modalities],
    ['organs', 4, p.organs],
    ['paper', 3, p.paper ? [p.paper.title] : []],
    ['summary', 3, [p.summary]],
  ];
}

const tokens = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Score one word against one field's values: exact token > prefix > substring. */
function wordScore(word: string, values: string[]): number {
  let best = 0;
  for (const value of values) {
    const lower = value.toLowerCase();
    if (lower === word || tokens(value).includes(word)) best = Math.max(best, 3);
    else if (tokens(value).some((t) => t.startsWith(word))) best = Math.max(best, 2);
    else if (lower.replace(/[^a-z0-9]/g, '').includes(word.replace(/[^a-z0-9]/g, '')))
      best = Math.max(best, 1);
  }
  return best;
}

/** Projects matching every word, best first (score, then id). */
export function searchProjects(registry: Registry, query: string[]): SearchHit[] {
  const words = query.flatMap(tokens);
  if (words.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const project of registry.projects) {
    let score = 0;
    const matched = new Set<string>();
    const allFound = words.every((word) => {
      let wordBest = 0;
      for (const [field, weight, values] of fieldsOf(project)) {
        const s = wordScore(word, values) * weight;
        if (s > 0) matched.add(field);
        wordBest = Math.max(wordBest, s);
        score += s / 10;
      }
      score += wordBest;
      return wordBest > 0;
    });
    if (allFound) hits.push({ project, score: Math.round(score * 10) / 10, matched: [...matched] });
  }
  return hits.sort((a, b) => b.score - a.score || a.project.id.localeCompare(b.project.id));
}
