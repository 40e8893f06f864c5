// The command line: parses arguments, reads settings, runs one command, maps errors to exit codes
// (0 ran, 2 bad usage or configuration, 1 anything unexpected).
import { parseArgs } from 'node:util';
// Each command's module is imported when that command runs: `help` or `lookup` never loads the
// scheduler, the HTTP server or the feed parsers.
import { ConfigError } from '../config/errors.js';
import { DbOpenError, storageProblem } from '../../db/errors.js';
import { readSettings } from '../config/settings.js';
import { createLogger } from '../log.js';
import { resolveIo, UsageError, type CliDeps } from './io.js';

export const USAGE = `Usage: sanctions-radar <command> [options]

Commands:
  start                 run the scheduler and the chat adapters until stopped
  poll [--source ID] [--strict]
                        poll now (all sources, or the ones named), deliver, exit (--strict:
                        exit 1 if a source failed or is held)
  sources               show each source's last poll, last success, records, ETag, last error
  sources ID            one source's health and every change of its latest changing poll
  sources accept ID     accept a snapshot held back as a suspicious shrink, and apply it
  sources forget ID     drop what a source no longer configured left: entries, history, alerts
  demo [--channel C]    replay bundled real list versions offline, to see alerts in seconds (also into a real channel)
  test-alert --channel C
                        a sample alert, marked as a test, through the real outbox to one channel
  doctor                check the configuration, database, disk, clock, each source and platform token
                        and that the bot can reach each alert channel (exit 1 when a check fails)
  register [PLATFORM]   register /sanctions with the configured platforms that need it (Discord: per
                        DISCORD_GUILD_ID, else globally); also written PLATFORM register
  backup FILE           a consistent copy of the database (SQLite online backup; safe while start runs)
  review [--channel C] [--all]
                        alerts delivered and not yet acknowledged or cleared, oldest first, with who
                        touched them (--all: every alert delivered, with its decisions)
  review ALERT_ID ack|not-us|escalate|note --channel C --by NAME [--reason TEXT] [--note TEXT]
                        record a decision on an alert a channel received (not-us needs --reason)
  cleared [--channel C]  the listed entries channels cleared as "not us": their later changes do not
                        alert that channel while their names, identifiers, addresses, programs stay
  uncleared ID --by NAME [--note TEXT]
                        undo one: the entry alerts its channel again (recorded as a decision)
  audit --from YYYY-MM-DD --to YYYY-MM-DD [--channel C] [--format csv|json]
                        one row per alert per channel: the change, the document and its sha256,
                        detected, delivered, every decision (the same range gives the same bytes)
  evidence ALERT_ID --out FILE
                        the file the alert's poll read, exactly as fetched, its sha256 checked
  lookup <company>      where a company (or an IMO, ISIN, SWIFT/BIC, LEI...) stands on every tracked list
  subscribe <company|identifier> | --list "<list>" | --source ID | --case DOCKET [--court ID] | --all
                        make a channel (--channel, default console:default) follow changes
  unsubscribe <id|company|identifier> | --case DOCKET, subscriptions, history <company>
                        the other chat verbs, the same as /sanctions in Slack or Discord
  portfolio import FILE --channel C
                        a holdings CSV (name, ISIN, ticker, LEI, USCC columns) into a channel, with its exposure
  portfolio [add X | remove X]
                        a channel's exposure report; add or remove one holding (ISIN, "CHL US", name)

Options:
  --sources FILE        sources file, JSON or YAML   (env SANCTIONS_RADAR_SOURCES; default: built-in real sources)
  --db FILE             SQLite file                  (env SANCTIONS_RADAR_DB; default ./data/sanctions-radar.db)
  --channel CHANNEL     for the chat verbs: console:<name>, slack:<channel id>, discord:<channel id>, webhook:<name>, teams:<name>, email:<address>
  --json                one JSON object per line on stdout (logs go to stderr)
  -h, --help            this help`;

export async function main(argv: string[], deps: CliDeps): Promise<number> {
  const io = resolveIo(deps);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        source: { type: 'string', multiple: true },
        sources: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        channel: { type: 'string' },
        list: { type: 'string' },
        case: { type: 'string' },
        court: { type: 'string' },
        all: { type: 'boolean', default: false },
        by: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        reason: { type: 'string' },
        note: { type: 'string' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`sanctions-radar: ${(err as Error).message}\nRun "sanctions-radar --help" for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    io.out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const env = { ...io.env };
  if (values.db) env.SANCTIONS_RADAR_DB = values.db;
  if (values.sources) env.SANCTIONS_RADAR_SOURCES = values.sources;
  let dbPath = 'in use';
  // The doctor reports a configuration it cannot read as one of its checks.
  if (command === 'doctor') {
    if (rest.length) {
      io.err('sanctions-radar: usage: sanctions-radar doctor [--json]');
      return 2;
    }
    return (await import('./doctor-command.js')).doctorCommand({ ...io, env }, env, values.json);
  }
  try {
    const settings = readSettings(env);
    dbPath = settings.dbPath;
    const log = createLogger(settings.logLevel);
    const cmdIo = { ...io, env };
    if (values.strict && command !== 'poll') throw new UsageError('--strict goes with poll');
    switch (command) {
      case 'poll':
        if (rest.length)
          throw new UsageError(
            `poll takes no arguments (got "${rest.join(' ')}"); use --source ID`,
          );
        return await (
          await import('./poll-command.js')
        ).pollCommand(cmdIo, settings, log, {
          sourceIds: values.source ?? [],
          json: values.json,
          strict: values.strict,
        });
      case 'start':
        if (rest.length) throw new UsageError(`start takes no arguments (got "${rest.join(' ')}")`);
        return await (
          await import('./start-command.js')
        ).startCommand(cmdIo, settings, log, values.json);
      case 'sources':
        {
          const { acceptHeld, forgetCommand, sourcesCommand } =
            await import('./sources-command.js');
          if (rest.length === 0) return sourcesCommand(cmdIo, settings, values.json);
          if (rest[0] === 'forget' && rest.length === 2)
            return forgetCommand(cmdIo, settings, rest[1]!, values.json);
          if (rest[0] === 'accept' && rest.length === 2) {
            if (!acceptHeld(cmdIo, settings, rest[1]!)) return 0;
            return await (
              await import('./poll-command.js')
            ).pollCommand(cmdIo, settings, log, { sourceIds: [rest[1]!], json: values.json });
          }
          // One source: its health and every change of its latest changing poll.
          if (rest.length === 1 && rest[0] !== 'accept' && rest[0] !== 'forget')
            return (await import('./chat-command.js')).chatCommand(
              cmdIo,
              settings,
              'sources',
              [rest[0]!, '--all'],
              values.channel,
              values.json,
            );
        }
        throw new UsageError('usage: sanctions-radar sources [ID | accept ID | forget ID]');
      case 'portfolio':
        if (rest[0] === 'import') {
          if (rest.length !== 2)
            throw new UsageError('usage: sanctions-radar portfolio import FILE --channel CHANNEL');
          if (!values.channel)
            throw new UsageError(
              'portfolio import needs --channel: the channel whose holdings these are',
            );
          return (await import('./portfolio-command.js')).portfolioImport(
            cmdIo,
            settings,
            rest[1]!,
            values.channel,
            values.json,
          );
        }
        return (await import('./chat-command.js')).chatCommand(
          cmdIo,
          settings,
          command,
          rest,
          values.channel,
          values.json,
        );
      case 'lookup':
      case 'subscribe':
      case 'unsubscribe':
      case 'subscriptions':
      case 'history': {
        // --list/--source/--all belong to the verb: hand them back to the command core.
        const words = [...rest];
        if (values.list) words.push('--list', values.list);
        if (values.source?.length) for (const s of values.source) words.push('--source', s);
        if (values.case) words.push('--case', values.case);
        if (values.court) words.push('--court', values.court);
        if (values.all) words.push('--all');
        return (await import('./chat-command.js')).chatCommand(
          cmdIo,
          settings,
          command,
          words,
          values.channel,
          values.json,
        );
      }
      case 'review': {
        const { reviewList, reviewRecord } = await import('./review-command.js');
        if (rest.length === 0)
          return reviewList(cmdIo, settings, {
            channel: values.channel,
            all: values.all,
            json: values.json,
          });
        if (rest.length !== 2)
          throw new UsageError(
            'usage: sanctions-radar review [--channel C] [--all] | review ALERT_ID ack|not-us|escalate|note --channel C --by NAME [--reason TEXT] [--note TEXT]',
          );
        return reviewRecord(cmdIo, settings, {
          alert: rest[0]!,
          action: rest[1]!,
          channel: values.channel,
          by: values.by,
          reason: values.reason,
          note: values.note,
          json: values.json,
        });
      }
      case 'cleared':
        if (rest.length) throw new UsageError('usage: sanctions-radar cleared [--channel C]');
        return (await import('./review-command.js')).clearedList(cmdIo, settings, {
          channel: values.channel,
          json: values.json,
        });
      case 'uncleared':
        if (rest.length !== 1)
          throw new UsageError('usage: sanctions-radar uncleared ID --by NAME [--note TEXT]');
        return (await import('./review-command.js')).unclearCommand(cmdIo, settings, {
          id: rest[0]!,
          by: values.by,
          note: values.note,
        });
      case 'audit':
        if (rest.length)
          throw new UsageError(
            'usage: sanctions-radar audit --from YYYY-MM-DD --to YYYY-MM-DD [--channel C] [--format csv|json]',
          );
        // Awaited here, so that its usage errors are answered as usage errors.
        return await (
          await import('./audit-command.js')
        ).auditCommand(cmdIo, settings, {
          from: values.from,
          to: values.to,
          channel: values.channel,
          format: values.format ?? (values.json ? 'json' : undefined),
        });
      case 'evidence':
        if (rest.length !== 1)
          throw new UsageError('usage: sanctions-radar evidence ALERT_ID --out FILE');
        return (await import('./audit-command.js')).evidenceCommand(
          cmdIo,
          settings,
          rest[0]!,
          values.out,
        );
      case 'demo':
        return await (
          await import('./demo-command.js')
        ).demoCommand(cmdIo, values.json, values.channel);
      case 'test-alert':
        if (rest.length)
          throw new UsageError('usage: sanctions-radar test-alert --channel CHANNEL');
        return await (
          await import('./test-alert-command.js')
        ).testAlertCommand(cmdIo, settings, log, values.channel, values.json);
      case 'backup':
        if (rest.length !== 1)
          throw new UsageError(
            'usage: sanctions-radar backup FILE (a consistent copy of the database, safe while start runs)',
          );
        return await (await import('./backup-command.js')).backupCommand(cmdIo, settings, rest[0]!);
      case 'register':
        if (rest.length > 1) throw new UsageError('usage: sanctions-radar register [PLATFORM]');
        return await (
          await import('./register-command.js')
        ).registerCommand(cmdIo, settings, log, rest[0]);
      default:
        // "discord register": the platform first, as in earlier releases.
        if (
          rest.length === 1 &&
          rest[0] === 'register' &&
          io.adapterFactories.some((f) => f.platform === command)
        ) {
          return await (
            await import('./register-command.js')
          ).registerCommand(cmdIo, settings, log, command);
        }
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`sanctions-radar: ${err.message}\nRun "sanctions-radar --help" for usage.`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof DbOpenError) {
      io.err(`sanctions-radar: configuration error: ${err.message}`);
      return 2;
    }
    // A disk that filled up or failed under a command: one line that says what to do.
    const storage = storageProblem(err, dbPath);
    if (storage) {
      io.err(`sanctions-radar: ${storage}`);
      return 1;
    }
    io.err(`sanctions-radar: unexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
