// Every platform adapter, registered in one list. A new platform is a new folder and one line here.
// Each entry is light: a platform's SDK is loaded by its factory only when it is configured.
import type { AdapterFactory } from '../src/delivery/adapter.js';
import { consoleAdapterFactory } from './console/console-adapter.js';
import { discordAdapterFactory } from './discord/index.js';
import { slackAdapterFactory } from './slack/index.js';
import { emailAdapterFactory } from './email/index.js';
import { teamsAdapterFactory } from './teams/index.js';
import { webhookAdapterFactory } from './webhook/index.js';

export const adapterFactories: AdapterFactory[] = [
  consoleAdapterFactory,
  slackAdapterFactory,
  discordAdapterFactory,
  webhookAdapterFactory,
  teamsAdapterFactory,
  emailAdapterFactory,
];
