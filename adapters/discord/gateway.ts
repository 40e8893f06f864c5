// Discord over the gateway (the default: no public URL): a discord.js Client with the Guilds
// intent only, answering interactionCreate through the same handler as HTTP interactions.
import {
  Client,
  GatewayIntentBits,
  MessageFlags,
  type ButtonInteraction,
  type Interaction as DjsInteraction,
} from 'discord.js';
import type { Logger } from '../../src/log.js';
import { answerInteraction, handleInteraction, type InteractionDeps } from './interactions.js';

interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: RawOption[];
}

function rawOptions(
  options: readonly {
    name: string;
    type: number;
    value?: unknown;
    focused?: boolean;
    options?: readonly unknown[];
  }[],
): RawOption[] {
  return options.map((o) => ({
    name: o.name,
    type: o.type,
    ...(o.value !== undefined ? { value: o.value as string | number | boolean } : {}),
    ...(o.focused ? { focused: true } : {}),
    ...(o.options ? { options: rawOptions(o.options as never) } : {}),
  }));
}

/** The member's role ids: a cached GuildMember, or the raw member of an uncached guild. */
function rolesOf(member: DjsInteraction['member']): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/** Answers one discord.js interaction; never throws into discord.js. */
export async function onInteraction(
  interaction: DjsInteraction,
  deps: InteractionDeps,
  log: Logger,
): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      const answer = await handleInteraction(
        {
          type: 4,
          channel_id: interaction.channelId ?? undefined,
          data: { name: interaction.commandName, options: rawOptions(interaction.options.data) },
        },
        deps,
      );
      await interaction.respond(
        (answer.data as { choices: { name: string; value: string }[] }).choices,
      );
      return;
    }
    if (interaction.isButton() || interaction.isModalSubmit() || interaction.isStringSelectMenu()) {
      // A review button or its modal: answered by the same handler as over HTTP, then given to
      // discord.js as the call its answer stands for.
      const rows = interaction.isModalSubmit()
        ? [
            {
              components: interaction.fields.fields.map((f) => ({
                custom_id: f.customId,
                value: 'value' in f ? String(f.value) : undefined,
              })),
            },
          ]
        : undefined;
      const answer = await handleInteraction(
        {
          type: interaction.isButton() ? 3 : 5,
          id: interaction.id,
          channel_id: interaction.channelId ?? undefined,
          ...(interaction.memberPermissions
            ? {
                member: {
                  permissions: interaction.memberPermissions.bitfield.toString(),
                  roles: rolesOf(interaction.member),
                  user: {
                    id: interaction.user.id,
                    username: interaction.user.username,
                    global_name: interaction.user.globalName,
                  },
                },
              }
            : { user: { id: interaction.user.id, username: interaction.user.username } }),
          data: {
            custom_id: interaction.customId,
            ...(rows ? { components: rows } : {}),
            ...(interaction.isStringSelectMenu() ? { values: interaction.values } : {}),
          },
        },
        deps,
      );
      const data = answer.data as {
        content?: string;
        flags?: number;
        components?: unknown[];
      } & Record<string, unknown>;
      if (answer.type === 9) await (interaction as ButtonInteraction).showModal(data as never);
      else if (
        answer.type === 7 &&
        (interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage()))
      )
        await interaction.update({ content: data.content, allowedMentions: { parse: [] } });
      else
        await interaction.reply({
          content: data.content ?? '',
          flags: MessageFlags.Ephemeral,
          allowedMentions: { parse: [] },
          ...(data.components ? { components: data.components as never } : {}),
        });
      return;
    }
    if (!interaction.isChatInputCommand()) return;
    const answer = await answerInteraction(
      {
        type: 2,
        channel_id: interaction.channelId,
        ...(interaction.memberPermissions
          ? {
              member: {
                permissions: interaction.memberPermissions.bitfield.toString(),
                user: {
                  id: interaction.user.id,
                  username: interaction.user.username,
                  global_name: interaction.user.globalName,
                },
              },
            }
          : {}),
        data: { name: interaction.commandName, options: rawOptions(interaction.options.data) },
      },
      deps,
    );
    if (answer.later) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const later = await answer.later();
      await interaction.editReply({
        content: later.content,
        embeds: later.embeds,
        allowedMentions: { parse: [] },
      });
      return;
    }
    const data = answer.response.data as { content: string; embeds?: unknown[]; flags?: number };
    await interaction.reply({
      content: data.content,
      embeds: (data.embeds ?? []) as never,
      allowedMentions: { parse: [] },
      ...(data.flags ? { flags: data.flags } : {}),
    });
  } catch (err) {
    log.error({ err }, 'Discord interaction failed');
  }
}

export function createGatewayClient(
  apiUrl: string | null,
  deps: InteractionDeps,
  log: Logger,
): Client {
  // Guilds only: slash commands need no privileged intent, and no message content is ever read.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
  client.on('interactionCreate', (i) => void onInteraction(i, deps, log));
  client.on('error', (err) => log.error({ err }, 'Discord gateway error'));
  return client;
}
