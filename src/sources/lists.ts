// The lists this product knows, spelled once: parsers label records with these names, commands
// offer them (`subscribe --list`), and alerts show them.
export const LIST = {
  sdn: 'SDN',
  nsCmic: 'NS-CMIC',
  nsMbs: 'NS-MBS',
  nsPlc: 'NS-PLC',
  ssi: 'SSI',
  fse: 'FSE',
  capta: 'CAPTA',
  entityList: 'Entity List',
  meu: 'MEU',
  uvl: 'UVL',
  dpl: 'DPL',
  isn: 'ISN',
  dtc: 'DTC',
  dod1260h: 'DoD 1260H',
} as const;

export const KNOWN_LISTS: string[] = Object.values(LIST);
