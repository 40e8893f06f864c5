// The one place tests reach into discord.js internals: a raw gateway INTERACTION_CREATE payload
// is handed to the client's own action, exactly as the gateway would, without a gateway.
import type { Client } from 'discord.js';

export function dispatchInteraction(client: Client, raw: Record<string, unknown>): void {
  (
    client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }
  ).actions.InteractionCreate.handle(raw);
}
