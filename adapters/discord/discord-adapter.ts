// Discord: alerts as embeds through discord.js's REST client. The dispatcher owns retries, so
// the client rejects rate-limited requests instead of waiting and never retries by itself.
// Every message carries a nonce with enforce_nonce: a send retried after a crash is not posted
// twice. allowed_mentions is always empty, so no list or feed text can ping anyone.
import { cleanDeep } from '../../src/text/clean.js';
import { type Client, REST, Routes } from 'discord.js';
import { ConfigError } from '../../src/config/errors.js';
import type {
  Adapter,
  AdapterContext,
  DeliveryItem,
  DeliveryProgress,
  SendOutcome,
} from '../../src/delivery/adapter.js';
import { SANCTIONS_COMMAND } from './command-definition.js';
import {
  alertEmbed,
  DIGEST_AT,
  digestEmbed,
  fitEmbed,
  packEmbeds,
  type Embed,
  type MessageLink,
} from './embeds.js';
import { pickComponents, reviewComponents } from './review-components.js';
import { digestLine, type DigestProgress } from '../../src/review/review.js';
import { isReviewable } from '../../src/alerts/category.js';
import { discordOutcome } from './errors.js';
import type { DoctorCheck } from '../../src/doctor/check.js';
import { channelPermissions, missingToPost, type Overwrite } from './permissions.js';
import { createGatewayClient } from './gateway.js';
import { interactionsRoute, publicKeyFromHex } from './interactions.js';

export { readDiscordConfig, type DiscordConfig } from './config.js';
import type { DiscordConfig } from './config.js';

/**
 * Up to 25 characters, named after the alerts the message details (and whether it carries the
 * digest): a retry that rebuilds the same message sends the same nonce, and Discord, with
 * enforce_nonce, returns the first message instead of posting a second.
 */
function nonceOf(covered: DeliveryItem[], digest: boolean): string {
  const ids = covered.map((i) => i.alert.id);
  return `sr${ids[0] ?? 0}-${ids[ids.length - 1] ?? 0}${digest ? 'd' : ''}`.slice(0, 25);
}

export function createDiscordAdapter(cfg: DiscordConfig, ctx: AdapterContext): Adapter {
  const rest = new REST({
    ...(cfg.apiUrl ? { api: cfg.apiUrl } : {}),
    ...(cfg.agent ? { agent: cfg.agent } : {}),
    rejectOnRateLimit: () => true,
    retries: 0,
    timeout: 15_000,
  }).setToken(cfg.token);

  // A message of one alert carries its review buttons; a packed digest's message a menu of its
  // alerts instead (a message's buttons cannot say which of its embeds they are for).
  const send = (
    channelId: string,
    embeds: Embed[],
    nonce: string,
    components: unknown[],
    content?: string,
  ) =>
    rest.post(Routes.channelMessages(channelId), {
      body: {
        ...(content ? { content } : {}),
        embeds: cleanDeep(embeds),
        allowed_mentions: { parse: [] },
        nonce,
        enforce_nonce: true,
        ...(components.length ? { components } : {}),
      },
    }) as Promise<{ id?: string }>;

  let gateway: Client | null = null;

  // A reminder links the alerts' messages, and a message's link names its server: asked of
  // Discord once per channel. Not known (Discord slow, a channel gone): the reminder goes without links.
  const guilds = new Map<string, string | null>();
  const linksOf = async (channelId: string, items: DeliveryItem[]): Promise<MessageLink> => {
    if (!items.some((i) => i.alert.type === 'review.reminder')) return () => null;
    if (!guilds.has(channelId)) {
      const channel = (await rest.get(Routes.channel(channelId)).catch((err: unknown) => {
        ctx.log.debug(
          { err, channel: `discord:${channelId}` },
          "could not read the channel's server for a reminder's links",
        );
        return null;
      })) as { guild_id?: string } | null;
      if (channel) guilds.set(channelId, channel.guild_id ?? null);
    }
    const guild = guilds.get(channelId);
    return (messageId) =>
      guild && /^\d+$/.test(messageId)
        ? `https://discord.com/channels/${guild}/${channelId}/${messageId}`
        : null;
  };

  const registerCommands = async (): Promise<string> => {
    if (!cfg.applicationId)
      throw new ConfigError(
        'registering /sanctions needs DISCORD_APPLICATION_ID (Developer Portal → General Information)',
      );
    const route = cfg.guildId
      ? Routes.applicationGuildCommands(cfg.applicationId, cfg.guildId)
      : Routes.applicationCommands(cfg.applicationId);
    // PUT replaces the application's commands with exactly these: registering twice is harmless.
    await rest.put(route, { body: [SANCTIONS_COMMAND] });
    return cfg.guildId
      ? `/sanctions registered in server ${cfg.guildId} (available now)`
      : '/sanctions registered globally (Discord may take up to an hour to show it)';
  };

  // A changeset's whole change list: a message carrying it as an attachment, a reply to the
  // changeset's message. Its nonce makes a retried send the same message.
  const attach = async (channelId: string, item: DeliveryItem): Promise<SendOutcome> => {
    const f = item.file!;
    const rows = item.alert.type === 'changeset.file' ? item.alert.rows : 0;
    try {
      await rest.post(Routes.channelMessages(channelId), {
        body: {
          content: `All ${rows.toLocaleString('en-US')} changes of this changeset (change, list, key, name, aliases, programs, listed on, citation, fields changed).`,
          allowed_mentions: { parse: [] },
          nonce: `sr${item.alert.id}f`.slice(0, 25),
          enforce_nonce: true,
          ...(f.replyTo && /^\d+$/.test(f.replyTo)
            ? { message_reference: { message_id: f.replyTo, fail_if_not_exists: false } }
            : {}),
        },
        files: [{ name: f.name, data: f.content, contentType: 'text/csv' }],
      });
      return { ok: true };
    } catch (err) {
      return discordOutcome(err);
    }
  };

  return {
    platform: 'discord',
    takesFiles: true,

    async doctor(channels: string[]): Promise<DoctorCheck[]> {
      let me: { username?: string; id?: string };
      try {
        me = (await rest.get(Routes.user('@me'))) as typeof me;
      } catch (err) {
        const o = discordOutcome(err);
        return [
          {
            check: 'discord token',
            ok: false,
            detail: o.ok ? 'refused' : o.error,
            fix: 'set DISCORD_TOKEN to the bot token (Developer Portal → Bot → Reset Token)',
          },
        ];
      }
      const checks: DoctorCheck[] = [
        { check: 'discord token', ok: true, detail: `the bot ${me.username ?? me.id ?? '?'}` },
      ];
      const roles = new Map<string, { id: string; permissions: string }[]>();
      for (const channel of channels) {
        try {
          const c = (await rest.get(Routes.channel(channel))) as {
            name?: string;
            guild_id?: string;
            type?: number;
            permission_overwrites?: Overwrite[];
          };
          const name = `#${c.name ?? channel}`;
          // Types 0 (text) and 5 (announcement) take messages.
          if (c.type !== 0 && c.type !== 5) {
            checks.push({
              check: `discord:${channel}`,
              ok: false,
              detail: `${name} is not a text channel (type ${c.type})`,
              fix: 'send alerts to a text channel',
            });
            continue;
          }
          const guild = c.guild_id!;
          if (!roles.has(guild))
            roles.set(
              guild,
              (await rest.get(Routes.guildRoles(guild))) as { id: string; permissions: string }[],
            );
          const member = (await rest.get(Routes.guildMember(guild, me.id))) as {
            roles?: string[];
          };
          const perms = channelPermissions({
            guildId: guild,
            roles: roles.get(guild)!,
            memberId: me.id!,
            memberRoles: member.roles ?? [],
            overwrites: c.permission_overwrites ?? [],
          });
          const missing = missingToPost(perms);
          checks.push(
            missing.length === 0
              ? {
                  check: `discord:${channel}`,
                  ok: true,
                  detail: `${name}: the bot may view, send, embed and attach there`,
                }
              : {
                  check: `discord:${channel}`,
                  ok: false,
                  detail: `${name}: the bot lacks ${missing.join(', ')}`,
                  fix: `in the channel's settings → Permissions, allow the bot's role ${missing.join(', ')}`,
                },
          );
        } catch (err) {
          const o = discordOutcome(err);
          checks.push({
            check: `discord:${channel}`,
            ok: false,
            detail: o.ok ? 'unknown' : o.error,
            fix: 'invite the bot to the server (OAuth2 → URL Generator: bot, applications.commands; Send Messages, Embed Links, Attach Files) and let it see the channel',
          });
        }
      }
      return checks;
    },
    registerCommands,
    async deliver(
      channelId: string,
      items: DeliveryItem[],
      progress?: DeliveryProgress,
    ): Promise<SendOutcome> {
      // A file comes alone (the dispatcher's batches).
      if (items[0]?.file) return attach(channelId, items[0]);
      // Small batches: one message per alert. Larger: a digest embed, then the details, packed by
      // count and by measured size (Discord refuses a message over 6,000 characters with 50035).
      // The rest of a batch whose digest is out (`thread`) is details only, packed the same way.
      const continued = Boolean(items[0]?.thread);
      const link = await linksOf(channelId, items);
      const digest = !continued && items.length >= DIGEST_AT;
      const messages: { embeds: Embed[]; covers: number; single?: boolean }[] = digest
        ? packEmbeds([
            { embed: digestEmbed(items), alert: false },
            ...items.map((i) => ({ embed: alertEmbed(i, link), alert: true })),
          ])
        : continued
          ? packEmbeds(items.map((i) => ({ embed: alertEmbed(i, link), alert: true })))
          : items.map((i) => ({
              embeds: [fitEmbed(alertEmbed(i, link))],
              covers: 1,
              single: true,
            }));
      let delivered = 0;
      let last = '';
      for (let m = 0; m < messages.length; m++) {
        try {
          const covered = items.slice(delivered, delivered + messages[m]!.covers);
          const single = messages[m]!.single ? covered[0]!.alert : null;
          const components = single
            ? isReviewable(single)
              ? reviewComponents(single.id)
              : []
            : pickComponents(covered.map((c) => c.alert));
          // The digest's own message counts its alerts as they are decided (shown again at each decision).
          const reviewable =
            digest && m === 0 ? items.filter((i) => isReviewable(i.alert)).length : 0;
          const res = await send(
            channelId,
            messages[m]!.embeds,
            nonceOf(covered, digest && m === 0),
            components,
            reviewable
              ? `:memo: ${digestLine({ reviewed: 0, total: reviewable, pending: 0 })}`
              : undefined,
          );
          last = res.id ?? last;
          delivered += messages[m]!.covers;
          progress?.({
            delivered,
            messageId: last,
            ...(digest && m === 0 && last ? { thread: `discord:${last}` } : {}),
          });
        } catch (err) {
          const outcome = discordOutcome(err);
          ctx.log.debug({ channel: `discord:${channelId}`, err }, 'discord send failed');
          return outcome.ok ? outcome : { ...outcome, delivered };
        }
      }
      return { ok: true, messageId: last };
    },
    async start() {
      if (ctx.mode !== 'start') return;
      if (cfg.applicationId) {
        try {
          ctx.log.info(await registerCommands());
        } catch (err) {
          ctx.log.warn(
            { err },
            'Discord: could not register /sanctions; alerts are still delivered',
          );
        }
      } else {
        ctx.log.warn(
          'Discord: DISCORD_APPLICATION_ID is not set, so /sanctions is not registered (alerts are delivered); set it, or run "sanctions-radar register"',
        );
      }
      if (!ctx.commands) return;
      // The follow-up goes to the application the interaction names when DISCORD_APPLICATION_ID is
      // not set: every interaction carries its application_id.
      const deps = {
        commands: ctx.commands,
        suggest: ctx.suggest,
        review: ctx.review,
        reviewers: ctx.settings.reviewers,
        // The digest's message says how far its alerts are decided; the click's answer does not wait for it.
        showDigest: (channelId: string, d: DigestProgress) => {
          rest
            .patch(Routes.channelMessage(channelId, d.thread.replace(/^discord:/, '')), {
              body: { content: `:memo: ${digestLine(d)}`, allowed_mentions: { parse: [] } },
            })
            .catch((err: unknown) =>
              ctx.log.warn(
                { err, channel: `discord:${channelId}` },
                "could not show a digest's review progress",
              ),
            );
        },
        followUp: async (token: string, data: object, applicationId?: string) => {
          const appId = cfg.applicationId ?? applicationId;
          if (!appId) throw new Error('no application id to answer the interaction with');
          await rest.patch(Routes.webhookMessage(appId, token, '@original'), {
            body: data,
            auth: false,
          });
        },
      };
      if (cfg.publicKey && ctx.http) {
        ctx.http.route(
          'POST',
          '/discord/interactions',
          interactionsRoute(publicKeyFromHex(cfg.publicKey), deps, ctx.log),
        );
        ctx.log.info({ path: '/discord/interactions' }, 'Discord interactions endpoint ready');
        return;
      }
      gateway = createGatewayClient(cfg.apiUrl, deps, ctx.log);
      // A gateway that cannot connect (no network, bad token) must not stop alerts or the daemon.
      gateway.login(cfg.token).then(
        () => ctx.log.info('Discord gateway connected'),
        (err: Error) =>
          ctx.log.error(
            { err },
            'Discord gateway login failed: check DISCORD_TOKEN; alerts are still delivered over REST',
          ),
      );
    },

    async stop() {
      await gateway?.destroy();
      gateway = null;
    },
  };
}
