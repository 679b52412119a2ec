/**
 * "Did you mean" suggestions. An unresolved reference is compared against ~1000 known ids; a bounded
 * Levenshtein (rows abandoned once every cell exceeds the bound, candidates skipped when their length
 * alone rules them out) keeps that to well under a millisecond per reference.
 */

/** Edit distance between a and b, or `limit + 1` as soon as it is known to exceed `limit`. */
export function boundedLevenshtein(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  let prev = new Array<number>(b.length + 1);
  let curr = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    let rowMin = curr[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      curr[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

function lastSegment(id: string): string {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? id : id.slice(dot + 1);
}

/**
 * The known id closest to `input`: the smallest edit distance within a third of the input's length
 * (at least 1), ties broken by length then alphabetically so the answer is stable. When nothing is that
 * close, an id ending with the same last segment and sharing the first one (`http.method` ->
 * `http.request.method`) is offered instead.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  // A third of the length: 'strng' -> 'string', 'stabel' -> 'stable', but not 'role' -> 'note'.
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  const inputLast = lastSegment(input);
  const inputFirst = input.split('.')[0];
  let segmentMatch: string | undefined;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = boundedLevenshtein(input, candidate, Math.min(limit, bestDistance));
    if (
      distance < bestDistance ||
      (distance === bestDistance && best !== undefined && (candidate.length < best.length || (candidate.length === best.length && candidate < best)))
    ) {
      if (distance <= limit) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (
      lastSegment(candidate) === inputLast &&
      candidate.split('.')[0] === inputFirst &&
      (segmentMatch === undefined || candidate.length < segmentMatch.length || (candidate.length === segmentMatch.length && candidate < segmentMatch))
    ) {
      segmentMatch = candidate;
    }
  }
  return best ?? segmentMatch;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}
