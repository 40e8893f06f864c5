// Every platform adapter, registered in one list. A new platform is a new folder and one line here.
import type { AdapterFactory } from '../src/delivery/adapter.js';
import { consoleAdapterFactory } from './console/console-adapter.js';
import { discordAdapterFactory } from './discord/discord-adapter.js';
import { slackAdapterFactory } from './slack/slack-adapter.js';

export const adapterFactories: AdapterFactory[] = [consoleAdapterFactory, slackAdapterFactory, discordAdapterFactory];
