/**
 * Weaver's search relevance (crate weaver_search, `score_fields`), so results rank the same:
 * exact id 100, id prefix 80, id contains 70, every query token inside some id token 60, brief
 * contains the query 40, note contains it 20, every token in the brief 35, every token in the note
 * 15; deprecated items score a tenth (at least 1). Comparison is case-insensitive.
 */
export function scoreMatch(query: string, id: string, brief: string, note: string, deprecated: boolean, separator = '.'): number {
  const q = query.toLowerCase();
  const idL = id.toLowerCase();
  const briefL = brief.toLowerCase();
  const noteL = note.toLowerCase();
  const isSep = (c: string) => separator.includes(c) || c === '_';
  let score = 0;
  if (idL === q) score = 100;
  else if (idL.startsWith(q)) score = 80;
  else if (idL.includes(q)) score = 70;
  else {
    const queryTokens = splitBy(q, (c) => isSep(c) || /\s/.test(c)).filter((t) => t.length > 0);
    if (queryTokens.length > 0) {
      const idTokens = splitBy(idL, isSep);
      if (queryTokens.every((qt) => idTokens.some((it) => it.includes(qt)))) score = 60;
      else if (briefL.includes(q)) score = 40;
      else if (noteL.includes(q)) score = 20;
      else if (queryTokens.every((qt) => briefL.includes(qt))) score = 35;
      else if (queryTokens.every((qt) => noteL.includes(qt))) score = 15;
    } else if (briefL.includes(q)) score = 40;
    else if (noteL.includes(q)) score = 20;
  }
  if (deprecated && score > 0) score = Math.max(1, Math.floor(score / 10));
  return score;
}

function splitBy(s: string, isSeparator: (c: string) => boolean): string[] {
  const out: string[] = [];
  let current = '';
  for (const c of s) {
    if (isSeparator(c)) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}
