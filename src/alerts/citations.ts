// Federal Register citations as links: "83 FR 37423; 87 FR 77505" → two federalregister.gov
// citation pages. Pure.

export interface CitationLink {
  citation: string;
  url: string;
}

const FR_CITATION = /\b(\d{1,3})\s*FR\s*(\d{1,6})\b/gi;

export function citationLinks(citation: string | null | undefined): CitationLink[] {
  if (!citation) return [];
  const out: CitationLink[] = [];
  for (const m of citation.matchAll(FR_CITATION)) {
    const text = `${m[1]} FR ${m[2]}`;
    if (!out.some((c) => c.citation === text))
      out.push({
        citation: text,
        url: `https://www.federalregister.gov/citation/${m[1]}-FR-${m[2]}`,
      });
  }
  return out;
}
