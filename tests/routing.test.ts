import { describe, expect, it } from 'vitest';
import { routeListAlerts } from '../src/alerts/changeset.js';
import { alertForChange, healthAlert } from '../src/alerts/derive.js';
import type { DesignationRecord, Subscription } from '../src/domain.js';
import { Router } from '../src/routing/router.js';

const record: DesignationRecord = {
  key: 'NS-CMIC:30947',
  list: 'NS-CMIC',
  name: 'HUAWEI TECHNOLOGIES CO., LTD.',
  aliases: ['Huawei'],
  type: 'entity',
  programs: ['CMIC-EO13959'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2021-06-03',
  citation: null,
  url: null,
  remarks: null,
};
const src = { id: 'csl', label: 'CSL' };
const sub = (id: number, channel: string, target: Subscription['target']): Subscription => ({
  id,
  channel,
  target,
  createdAt: '',
  pausedReason: null,
});

describe('Router', () => {
  const router = new Router(
    [
      sub(1, 'slack:C1', { kind: 'entity', value: 'Huawei Technologies Co Ltd' }),
      sub(2, 'slack:C2', { kind: 'list', value: 'ns-cmic' }),
      sub(3, 'discord:9', { kind: 'source', value: 'csl' }),
      sub(4, 'slack:C4', { kind: 'entity', value: 'Hesai' }),
      sub(5, 'slack:C5', { kind: 'all' }),
    ],
    ['console:default'],
  );

  it('routes a change to every matching subscription, each channel once', () => {
    const a = alertForChange({ type: 'designation.added', record }, src, '2024-01-01T00:00:00Z');
    expect(router.route(a)).toEqual([
      'console:default',
      'discord:9',
      'slack:C1',
      'slack:C2',
      'slack:C5',
    ]);
  });

  it('routes source health to whole-source and all-alert channels only', () => {
    expect(router.route(healthAlert('failing', 'x', src, '2024-01-01T00:00:00Z'))).toEqual([
      'console:default',
      'discord:9',
      'slack:C5',
    ]);
  });
});

describe('Router reasons', () => {
  it('says which subscription brought an alert, and through which alias', () => {
    const r = new Router(
      [
        sub(7, 'slack:C7', { kind: 'entity', value: 'AVIC' }),
        sub(8, 'slack:C8', { kind: 'entity', value: 'Aviation Industry Corp. of China' }),
      ],
      ['console:default'],
    );
    const avic = {
      ...record,
      name: 'AVIATION INDUSTRY CORPORATION OF CHINA, LTD.',
      aliases: ['AVIATION INDUSTRY CORP OF CHINA', 'AVIC'],
    };
    const routes = r.routes(
      alertForChange({ type: 'designation.added', record: avic }, src, '2024-01-01T00:00:00Z'),
    );
    expect(Object.fromEntries(routes)).toEqual({
      'console:default': 'every alert (operator setting)',
      'slack:C7': 'subscription #7: "AVIC", matched alias "AVIC"',
      'slack:C8': 'subscription #8: "Aviation Industry Corp. of China"',
    });
  });
});

describe('following a name given with a legal form', () => {
  it('routes only that company, as the lookup of it answers: not another that adds words, nor a person', () => {
    const r = new Router(
      [
        sub(1, 'slack:CFORM', { kind: 'entity', value: 'Kunlun Inc.' }),
        sub(2, 'slack:CNAME', { kind: 'entity', value: 'Kunlun' }),
      ],
      [],
    );
    const bank = {
      ...record,
      key: 'el:kunlun',
      list: 'Entity List',
      name: 'BANK OF KUNLUN CO LTD',
      aliases: [],
    };
    expect(
      r.route(
        alertForChange({ type: 'designation.added', record: bank }, src, '2024-01-31T00:00:00Z'),
      ),
    ).toEqual(['slack:CNAME']);
    const same = { ...bank, name: 'KUNLUN, INC.' };
    expect(
      r.route(
        alertForChange({ type: 'designation.added', record: same }, src, '2024-01-31T00:00:00Z'),
      ),
    ).toEqual(['slack:CFORM', 'slack:CNAME']);
    const people = new Router(
      [
        sub(3, 'slack:CP', { kind: 'entity', value: 'Kayakiran Inc.' }),
        sub(4, 'slack:CQ', { kind: 'entity', value: 'Kayakiran' }),
      ],
      [],
    );
    const person = {
      ...record,
      key: 'sdn:1',
      list: 'SDN',
      name: 'Evren KAYAKIRAN',
      aliases: [],
      type: 'individual',
    };
    expect(
      people.route(
        alertForChange({ type: 'designation.added', record: person }, src, '2024-01-31T00:00:00Z'),
      ),
    ).toEqual(['slack:CQ']);
  });
});

describe('following a company before it is listed', () => {
  it('routes the listing that holds every distinctive word of the followed name', () => {
    const r = new Router(
      [
        sub(1, 'slack:C1', { kind: 'entity', value: 'Hesai' }),
        sub(2, 'slack:C2', { kind: 'entity', value: 'Sichuan' }),
      ],
      [],
    );
    const hesai = {
      ...record,
      key: 'dod:hesai',
      list: 'DoD 1260H',
      name: 'Hesai Technology Co., Ltd.',
      aliases: [],
    };
    expect(
      r.route(
        alertForChange({ type: 'designation.added', record: hesai }, src, '2024-01-31T00:00:00Z'),
      ),
    ).toEqual(['slack:C1']);
    // A place name alone is not a company: "Sichuan" follows nothing but a listing named exactly so.
    const uni = {
      ...record,
      key: 'el:sichuan university',
      list: 'Entity List',
      name: 'Sichuan University',
      aliases: [],
    };
    expect(
      r.route(
        alertForChange({ type: 'designation.added', record: uni }, src, '2024-01-31T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});

describe('holdings route alerts', () => {
  const h = (
    channel: string,
    x: Partial<{ name: string; isin: string; ticker: string; exchange: string }>,
  ) => ({
    channel,
    name: null,
    isin: null,
    ticker: null,
    exchange: null,
    lei: null,
    uscc: null,
    ...x,
  });
  const listed: DesignationRecord = {
    ...record,
    key: '30923',
    name: 'CHINA MOBILE LIMITED',
    aliases: [],
    identifiers: [
      { type: 'Ticker', value: 'CHL', exchange: 'US' },
      { type: 'ISIN', value: 'US16941M1099' },
    ],
  };
  const router = new Router([], [], undefined, [
    h('slack:ISIN', { name: 'China Mobile (ADR)', isin: 'US16941M1099' }),
    h('slack:TICKER', { ticker: 'CHL', exchange: 'US' }),
    h('slack:OTHERX', { ticker: 'CHL', exchange: 'HK' }),
    h('slack:NAME', { name: 'China Mobile Ltd' }),
    h('slack:NOISE', { name: 'Mobile Zone International' }),
  ]);

  it('by identifier (ISIN before ticker), by exchange, and by a name as written; never by one shared word', () => {
    const routes = router.routes(
      alertForChange({ type: 'designation.added', record: listed }, src, '2024-01-01T00:00:00Z'),
    );
    expect(Object.fromEntries(routes)).toEqual({
      'slack:ISIN': 'holding US16941M1099 matched ISIN',
      'slack:TICKER': 'holding CHL US matched ticker',
      'slack:NAME': 'holding "China Mobile Ltd" matched by name',
    });
  });
});

describe('companies followed by an identifier', () => {
  const listed: DesignationRecord = {
    ...record,
    key: '30923',
    name: 'CHINA MOBILE LIMITED',
    aliases: [],
    identifiers: [
      { type: 'Ticker', value: 'CHL', exchange: 'US' },
      { type: 'ISIN', value: 'US16941M1099' },
    ],
  };
  const r = new Router(
    [
      sub(1, 'slack:ISIN', { kind: 'entity', value: 'isin us16941m1099' }),
      sub(2, 'slack:TICKER', { kind: 'entity', value: 'CHL US' }),
      sub(3, 'slack:OTHERX', { kind: 'entity', value: 'CHL HK' }),
      sub(4, 'slack:NUMBER', { kind: 'entity', value: '16941' }),
    ],
    [],
  );

  it('routes by the exact identifier, in any case and with its label, on the exchange given; a part of one is no match', () => {
    const routes = r.routes(
      alertForChange({ type: 'designation.added', record: listed }, src, '2024-01-01T00:00:00Z'),
    );
    expect(Object.fromEntries(routes)).toEqual({
      'slack:ISIN': 'subscription #1: "isin us16941m1099", matched ISIN US16941M1099',
      'slack:TICKER': 'subscription #2: "CHL US", matched Ticker CHL US',
    });
  });
});

describe('numbered siblings', () => {
  // Real SDN vessels (2024-05-01): KUM SONG 3, 5 and 7 are listed one by one (DPRK4), as are the
  // CASIC 3rd Academy's 31, 33 and 35 Research Institutes on the Entity List.
  const vessel = (name: string): DesignationRecord => ({
    ...record,
    key: `SDN:${name}`,
    list: 'SDN',
    name,
    aliases: [],
    type: 'vessel',
    programs: ['DPRK4'],
  });
  const institute = (n: number): DesignationRecord => ({
    ...record,
    key: `EL:${n}`,
    list: 'EL',
    name: `China Aerospace Science and Industry Corporation (CASIC) 3rd Academy, ${n} Research Institute`,
    aliases: [],
  });
  const r = new Router(
    [
      sub(1, 'slack:C1', { kind: 'entity', value: 'KUM SONG 3' }),
      sub(2, 'slack:C2', {
        kind: 'entity',
        value: 'China Aerospace Science and Industry Corporation 3rd Academy 33 Research Institute',
      }),
      sub(3, 'slack:C3', { kind: 'entity', value: 'Kum Song' }),
    ],
    [],
  );
  const to = (rec: DesignationRecord) =>
    r.route(
      alertForChange({ type: 'designation.added', record: rec }, src, '2024-01-01T00:00:00Z'),
    );

  it('routes a listing to the channel that follows its number, not to the followers of its siblings', () => {
    expect(to(vessel('KUM SONG 3'))).toEqual(['slack:C1', 'slack:C3']);
    expect(to(vessel('KUM SONG 5'))).toEqual(['slack:C3']);
    expect(to(institute(33))).toContain('slack:C2');
    expect(to(institute(31))).not.toContain('slack:C2');
    expect(to(institute(35))).not.toContain('slack:C2');
  });
});

describe('a poll over the limit', () => {
  const changes = Array.from({ length: 6 }, (_, i) => ({
    type: 'designation.added' as const,
    record: {
      ...record,
      key: `k${i}`,
      name: `COMPANY ${i}`,
      aliases: [],
      identifiers: i === 4 ? [{ type: 'ISIN', value: 'US16941M1099' }] : [],
    },
  }));
  const alerts = changes.map((c) => alertForChange(c, src, '2024-01-01T00:00:00Z'));
  const o = { limit: 3, ref: src, at: '2024-01-01T00:00:00Z', url: null };
  const holding = {
    channel: 'slack:H',
    name: null,
    isin: 'US16941M1099',
    ticker: null,
    exchange: null,
    lei: null,
    uscc: null,
  };

  it('sends the channel-wide one changeset and nothing one by one when nobody follows a company', () => {
    const r = new Router([sub(1, 'slack:ALL', { kind: 'all' })], []);
    expect(r.followsEntities).toBe(false);
    const routed = routeListAlerts(alerts, [1, 2, 3, 4, 5, 6], r, o);
    expect(routed.map((x) => [x.alert.type, [...x.routes.keys()]])).toEqual([
      ['designation.changeset', ['slack:ALL']],
    ]);
  });

  it('still sends a held security its own alert when only holdings are followed', () => {
    const r = new Router([sub(1, 'slack:ALL', { kind: 'all' })], [], undefined, [holding]);
    expect(r.followsEntities).toBe(true);
    const routed = routeListAlerts(alerts, [1, 2, 3, 4, 5, 6], r, o);
    expect(routed.map((x) => [x.alert.type, [...x.routes.keys()], x.changeId])).toEqual([
      ['designation.changeset', ['slack:ALL'], null],
      ['designation.added', ['slack:H'], 5],
    ]);
  });
});
