// In its own module so the command line can recognise it without loading SQLite.
/** The database cannot be used as configured; the message says what to fix. */
export class DbOpenError extends Error {
  override name = 'DbOpenError';
}
