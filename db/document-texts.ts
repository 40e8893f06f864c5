// Full texts of published documents a source reads besides its own answer (migration 017).
import { stmt, type Db } from './database.js';

export function documentText(db: Db, source: string, url: string): Uint8Array | undefined {
  return stmt(db, 'SELECT body FROM document_texts WHERE source_id = ? AND url = ?')
    .pluck()
    .get(source, url) as Uint8Array | undefined;
}

export function keepDocumentText(
  db: Db,
  source: string,
  url: string,
  body: Uint8Array,
  at: string,
): void {
  stmt(
    db,
    'INSERT INTO document_texts (source_id, url, body, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(source, url, body, at);
}
