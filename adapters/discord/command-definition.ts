// The /sanctions command as Discord registers it: subcommands with typed options, autocomplete
// on company names. It exists in servers only (installed to a server, used in its channels): a
// follow belongs to a channel someone manages, which a direct message is not. Discord sets
// default_member_permissions per command, not per subcommand, so it is left open (lookups are
// for every member) and the handler checks Manage Channels for the verbs that change a channel;
// a server can still narrow the command in Server Settings → Integrations.
const company = (description: string, required = true) => ({
  type: 3,
  name: 'name',
  description,
  required,
  autocomplete: true,
  max_length: 200,
});

export const SANCTIONS_COMMAND = {
  name: 'sanctions',
  description: 'US sanctions and export-control lists: look up, follow, check health',
  type: 1,
  /** Interaction contexts: 0 = a server channel (not 1, the bot's DM, nor 2, a private channel). */
  contexts: [0],
  /** Installed to a server (0), not to a user's account (1). */
  integration_types: [0],
  options: [
    {
      type: 1,
      name: 'lookup',
      description: 'Where a company stands on every tracked list',
      options: [company('Company name or alias, or an identifier (IMO, ISIN, SWIFT/BIC, ...)')],
    },
    {
      type: 1,
      name: 'subscribe',
      description: 'This channel follows a company, a list, a source or everything',
      options: [
        company('Company to follow: a name or an identifier (IMO, ISIN, ...)', false),
        {
          type: 3,
          name: 'list',
          description: 'A whole list, e.g. Entity List or NS-CMIC',
          required: false,
        },
        { type: 3, name: 'source', description: 'A whole source id, e.g. csl', required: false },
        {
          type: 3,
          name: 'case',
          description:
            'A court case: its docket number (1:21-cv-00280) or its CourtListener docket URL',
          required: false,
          max_length: 200,
        },
        {
          type: 3,
          name: 'court',
          description: 'The PACER court of the case, e.g. dcd',
          required: false,
          max_length: 8,
        },
        { type: 5, name: 'all', description: 'Every alert', required: false },
      ],
    },
    {
      type: 1,
      name: 'unsubscribe',
      description: 'Stop following (subscription id or company name)',
      options: [
        {
          type: 3,
          name: 'what',
          description: 'Subscription id (#3) or company name',
          required: true,
        },
      ],
    },
    { type: 1, name: 'subscriptions', description: 'What this channel follows' },
    {
      type: 1,
      name: 'history',
      description: 'Every change to a company across lists',
      options: [company('Company name or alias, or an identifier (IMO, ISIN, SWIFT/BIC, ...)')],
    },
    {
      type: 1,
      name: 'portfolio',
      description: "This channel's holdings on the tracked lists, or add and remove one",
      options: [
        {
          type: 3,
          name: 'action',
          description: 'Add or remove a holding (leave empty for the exposure report)',
          required: false,
          choices: [
            { name: 'add', value: 'add' },
            { name: 'remove', value: 'remove' },
          ],
        },
        {
          type: 3,
          name: 'holding',
          description:
            'An ISIN, a ticker with its exchange (CHL US), a company name, or a holding id',
          required: false,
          max_length: 200,
        },
      ],
    },
    {
      type: 1,
      name: 'sources',
      description: "Health of each list and feed, or one source's latest changes",
      options: [
        {
          type: 3,
          name: 'id',
          description:
            'A source id, e.g. ofac-sdn: its health and every change of its latest changing poll',
          required: false,
          max_length: 60,
        },
      ],
    },
    { type: 1, name: 'review', description: "This channel's alerts still to decide, oldest first" },
    {
      type: 1,
      name: 'cleared',
      description: 'The listed entries this channel cleared as "not us"',
    },
    {
      type: 1,
      name: 'uncleared',
      description: 'Make a cleared entry alert this channel again',
      options: [
        {
          type: 3,
          name: 'id',
          description: 'The clearance id "cleared" lists (#3)',
          required: true,
          max_length: 20,
        },
      ],
    },
    {
      type: 1,
      name: 'test',
      description: 'A sample alert, marked as a test, to this channel (needs Manage Channels)',
    },
    {
      type: 1,
      name: 'doctor',
      description: "The bot's health as it knows it (needs Manage Channels)",
    },
    { type: 1, name: 'help', description: 'How to use /sanctions' },
  ],
};

interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

/** Quotes a value so the command core reads it as one word. */
const q = (v: string) => `"${v.replace(/"/g, '')}"`;

/** The subcommand and its options as the `/sanctions` text the command core parses. */
export function commandText(options: CommandOption[] | undefined): { verb: string; text: string } {
  const sub = options?.[0];
  if (!sub) return { verb: 'help', text: 'help' };
  const opts = new Map((sub.options ?? []).map((o) => [o.name, o.value]));
  const words = [sub.name];
  if (typeof opts.get('name') === 'string') words.push(q(opts.get('name') as string));
  if (typeof opts.get('what') === 'string') words.push(q(opts.get('what') as string));
  if (typeof opts.get('id') === 'string') words.push(q(opts.get('id') as string));
  if (typeof opts.get('action') === 'string')
    words.push(opts.get('action') === 'remove' ? 'remove' : 'add');
  if (typeof opts.get('holding') === 'string') words.push(q(opts.get('holding') as string));
  if (typeof opts.get('list') === 'string') words.push('--list', q(opts.get('list') as string));
  if (typeof opts.get('source') === 'string')
    words.push('--source', q(opts.get('source') as string));
  if (typeof opts.get('case') === 'string') words.push('--case', q(opts.get('case') as string));
  if (typeof opts.get('court') === 'string') words.push('--court', q(opts.get('court') as string));
  if (opts.get('all') === true) words.push('--all');
  return { verb: sub.name, text: words.join(' ') };
}

/** The option being typed in an autocomplete interaction. */
export function focusedValue(options: CommandOption[] | undefined): string | null {
  for (const o of options ?? []) {
    if (o.focused) return String(o.value ?? '');
    const inner = focusedValue(o.options);
    if (inner !== null) return inner;
  }
  return null;
}
