/**
 * An approximation of Postgres' `to_tsvector('simple', ...) @@ websearch_to_tsquery('simple', text)`:
 * case-insensitive whole words, all required, `-word` excluded, `or` between words. Postgres' parser
 * also keeps file names and hosts (`app.js`) as one word; this splits them, so contract cases use
 * plain words only.
 */
export function matchesText(document: string, text: string): boolean {
  const words = new Set(wordsOf(document));
  const alternatives = text.split(/\s+or\s+/i);
  return alternatives.some((alternative) => {
    const terms = alternative.split(/\s+/).filter(Boolean);
    const wanted = terms.filter((t) => !t.startsWith('-')).flatMap(wordsOf);
    const excluded = terms.filter((t) => t.startsWith('-')).flatMap((t) => wordsOf(t.slice(1)));
    return (wanted.length > 0 || excluded.length > 0) && wanted.every((w) => words.has(w)) && !excluded.some((w) => words.has(w));
  });
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}
