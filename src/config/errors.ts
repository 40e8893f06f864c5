// Errors that mean the operator must change something: one line to the user, exit 2. In their own
// module so the command line can recognise them without loading what raises them.
export class ConfigError extends Error {
  override name = 'ConfigError';
}
