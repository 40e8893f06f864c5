// Discord HTTP interactions at /discord/interactions: Ed25519 verification of every request
// (node:crypto), PING → PONG, /sanctions answered from the command core, autocomplete from the
// name index.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandRunner } from '../../src/delivery/adapter.js';
import type { Logger } from '../../src/log.js';
import { commandText, focusedValue } from './command-definition.js';
import { EPHEMERAL, replyData, type InteractionMessage } from './reply-embeds.js';
import { parseCommand, type Access } from '../../src/commands/run.js';
import type { ReviewRunner } from '../../src/review/review.js';
import type { Reviewers } from '../../src/review/reviewers.js';
import {
  answerReview,
  isReviewInteraction,
  type DigestShown,
  type ReviewInteraction,
} from './review-components.js';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Discord's ADMINISTRATOR and MANAGE_CHANNELS permission bits. */
const ADMINISTRATOR = 1n << 3n;
const MANAGE_CHANNELS = 1n << 4n;
const MAX_BODY = 64 * 1024;

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export function verifyInteraction(
  key: KeyObject,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  try {
    return verify(
      null,
      Buffer.concat([Buffer.from(timestamp), body]),
      key,
      Buffer.from(signatureHex, 'hex'),
    );
  } catch {
    return false;
  }
}

interface Interaction {
  type: number;
  id?: string;
  token?: string;
  application_id?: string;
  channel_id?: string;
  channel?: { id?: string };
  guild_id?: string;
  /** Present only in a server; a direct message or a group DM has none. */
  member?: { permissions?: string; nick?: string | null; user?: DiscordUser; roles?: string[] };
  user?: DiscordUser;
  data?: {
    name?: string;
    options?: Parameters<typeof commandText>[0];
    /** A button's or a modal's id (component and modal-submit interactions). */
    custom_id?: string;
    /** A modal's rows of text inputs. */
    components?: { components?: { custom_id?: string; value?: string }[] }[];
    /** What a select menu's user picked. */
    values?: string[];
  };
}

interface DiscordUser {
  id: string;
  username?: string;
  global_name?: string | null;
}

export interface InteractionDeps {
  commands: CommandRunner;
  suggest?: (partial: string) => string[];
  /** Records a decision made with an alert's buttons. */
  review?: ReviewRunner;
  /** Who may decide (SANCTIONS_RADAR_REVIEWERS); null: members with Manage Channels. */
  reviewers?: Reviewers | null;
  /** Shows a digest's progress on its message once one of its alerts was decided on. */
  showDigest?: DigestShown;
  /** Edits the deferred answer of an HTTP interaction (PATCH of the @original message). */
  followUp?: (
    interactionToken: string,
    data: InteractionMessage,
    applicationId?: string,
  ) => Promise<void>;
}

/**
 * Commands whose answer can grow large (a long history reads hundreds of changes): acknowledged
 * at once with a deferred response (type 5) and answered by a follow-up, so Discord's 3-second
 * window never depends on the size of the answer.
 */
export const DEFERRED_VERBS = new Set(['history']);

export interface InteractionAnswer {
  response: Record<string, unknown>;
  /** For deferred commands: the answer to send once the deferral is acknowledged. */
  later?: () => Promise<InteractionMessage>;
}

/** The answer to one verified interaction (types: 1 PONG, 4 message, 5 deferred, 8 autocomplete). */
export async function answerInteraction(
  i: Interaction,
  deps: InteractionDeps,
): Promise<InteractionAnswer> {
  const channelId = i.channel_id ?? i.channel?.id;
  if (i.type === 2 && i.data?.name === 'sanctions' && channelId) {
    const cmd = parseCommand(commandText(i.data.options).text);
    if (DEFERRED_VERBS.has(cmd.verb)) {
      return {
        response: { type: 5, data: { flags: EPHEMERAL } },
        later: async () =>
          replyData(await deps.commands(cmd, `discord:${channelId}`, accessOf(i, cmd.verb))),
      };
    }
  }
  return { response: await handleInteraction(i, deps) };
}

/**
 * Changing what a channel receives is for people who may manage it: Manage Channels (or
 * Administrator) in the channel's permissions as Discord computed them for this member. A direct
 * message has no member and no server channel to manage, so it changes nothing.
 */
function accessOf(i: Interaction, verb: string): Access {
  const perms = i.member?.permissions;
  if (!i.member || perms === undefined || !/^\d+$/.test(perms)) {
    return {
      mayChangeChannel: false,
      refusal: `/sanctions ${verb} changes a server channel's alerts: use it in that channel, not in a direct message.`,
    };
  }
  const user = i.member.user;
  return {
    mayChangeChannel: managesChannel(perms),
    refusal: `/sanctions ${verb} needs the Manage Channels permission in this channel.`,
    ...(user
      ? { user: { id: user.id, name: i.member.nick ?? user.global_name ?? user.username ?? null } }
      : {}),
  };
}

function managesChannel(perms: string | undefined): boolean {
  return (
    perms !== undefined &&
    /^\d+$/.test(perms) &&
    (BigInt(perms) & (MANAGE_CHANNELS | ADMINISTRATOR)) !== 0n
  );
}

/**
 * Whether the member may decide on alerts: a role the operator named in SANCTIONS_RADAR_REVIEWERS
 * (or Administrator), else Manage Channels, as for changing what the channel follows.
 */
function mayDecide(
  i: Interaction,
  reviewers: Reviewers | null | undefined,
): { allowed: boolean; refusal: string } {
  const perms = i.member?.permissions;
  if (reviewers?.everyone) return { allowed: true, refusal: '' };
  if (!reviewers?.discordRoles.length) {
    return {
      allowed: managesChannel(perms),
      refusal:
        'Deciding on alerts here needs the Manage Channels permission in this channel. Nothing was recorded.',
    };
  }
  const admin =
    perms !== undefined && /^\d+$/.test(perms) && (BigInt(perms) & ADMINISTRATOR) !== 0n;
  const allowed = admin || (i.member?.roles ?? []).some((r) => reviewers.discordRoles.includes(r));
  return {
    allowed,
    refusal:
      'Deciding on alerts here needs one of the reviewer roles the operator lists in SANCTIONS_RADAR_REVIEWERS. Nothing was recorded.',
  };
}

/** A click on an alert's review button, or the modal it opened, in the core's terms. */
function reviewOf(
  i: Interaction,
  channelId: string,
  reviewers: Reviewers | null | undefined,
): ReviewInteraction {
  const user = i.member?.user ?? i.user;
  const values: Record<string, string | undefined> = {};
  for (const row of i.data?.components ?? [])
    for (const c of row.components ?? []) if (c.custom_id) values[c.custom_id] = c.value;
  return {
    type: i.type,
    ...(i.id ? { id: i.id } : {}),
    channelId,
    ...(i.member
      ? mayDecide(i, reviewers)
      : {
          allowed: false,
          refusal:
            'Decide on alerts in the server channel they reached, not in a direct message. Nothing was recorded.',
        }),
    user: {
      id: user?.id ?? 'unknown',
      name: i.member?.nick ?? user?.global_name ?? user?.username ?? null,
    },
    customId: i.data?.custom_id ?? '',
    values,
    ...(i.data?.values ? { picked: i.data.values } : {}),
  };
}

/** The immediate response to one verified interaction (types: 1 PONG, 4 message, 7 message updated, 8 autocomplete, 9 modal). */
export async function handleInteraction(
  i: Interaction,
  deps: InteractionDeps,
): Promise<Record<string, unknown>> {
  if (i.type === 1) return { type: 1 };
  const channelId = i.channel_id ?? i.channel?.id;
  if (i.type === 4) {
    const partial = focusedValue(i.data?.options) ?? '';
    const names = partial.trim() ? (deps.suggest?.(partial) ?? []) : [];
    return {
      type: 8,
      data: {
        choices: names.slice(0, 25).map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) })),
      },
    };
  }
  if ((i.type === 3 || i.type === 5) && channelId && isReviewInteraction(i.data?.custom_id))
    return answerReview(reviewOf(i, channelId, deps.reviewers), deps.review, deps.showDigest);
  if (i.type !== 2 || i.data?.name !== 'sanctions' || !channelId) {
    return {
      type: 4,
      data: { content: 'Unknown interaction.', flags: EPHEMERAL, allowed_mentions: { parse: [] } },
    };
  }
  const cmd = parseCommand(commandText(i.data.options).text);
  return {
    type: 4,
    data: replyData(await deps.commands(cmd, `discord:${channelId}`, accessOf(i, cmd.verb))),
  };
}

export function interactionsRoute(publicKey: KeyObject, deps: InteractionDeps, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Too big: answered 413 (and the connection closed), not reset mid-upload.
    const tooBig = () => {
      req.unpipe();
      res
        .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
        .end('request body too large', () => setTimeout(() => req.destroy(), 100).unref());
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return tooBig();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) return tooBig();
      chunks.push(c);
    }
    const body = Buffer.concat(chunks);
    const sig = req.headers['x-signature-ed25519'];
    const ts = req.headers['x-signature-timestamp'];
    const tsValue = Array.isArray(ts) ? ts[0] : ts;
    if (!verifyInteraction(publicKey, Array.isArray(sig) ? sig[0] : sig, tsValue, body)) {
      log.warn('rejected a Discord interaction with a bad or missing signature');
      return void res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('invalid request signature');
    }
    // A valid signature on an old request is a replay: the timestamp must be within ±5 minutes.
    if (Math.abs(Date.now() / 1000 - Number(tsValue)) > 300) {
      log.warn(
        { timestamp: tsValue },
        'rejected a Discord interaction whose timestamp is outside ±5 minutes',
      );
      return void res.writeHead(401, { 'content-type': 'text/plain' }).end('stale request');
    }
    let interaction: Interaction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as Interaction;
    } catch {
      return void res.writeHead(400).end();
    }
    const answer = await answerInteraction(interaction, deps);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.response));
    if (answer.later && interaction.token && deps.followUp) {
      const token = interaction.token;
      const later = answer.later;
      setImmediate(() => {
        later()
          .then((message) => deps.followUp!(token, message, interaction.application_id))
          .catch((err: Error) => log.error({ err }, 'Discord follow-up failed'));
      });
    }
  };
}
