// The bot scopes the app asks for (manifest.yml and manifest-http.yml list the same; a test keeps
// them equal), and what each is for: `doctor` says which are missing.
export const SLACK_SCOPES: Record<string, string> = {
  commands: '/sanctions',
  'chat:write': 'posting alerts',
  'chat:write.public': 'posting in public channels without an invitation',
  'users:read': 'who may change a channel (admins and owners)',
  'usergroups:read': 'who may change a channel (SANCTIONS_RADAR_SLACK_MANAGERS groups)',
  'files:write': "a changeset's CSV",
  'channels:read': 'doctor: whether the bot is in each public alert channel',
  'groups:read': 'doctor: whether the bot is in each private alert channel',
};
