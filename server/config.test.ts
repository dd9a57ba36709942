/** Environment and CONFIG_FILE parsing: defaults, overrides, and clear errors naming the setting. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DOMAIN, loadDomainConfig, readEnv } from './config.js';
import { tempDir } from './testing/databases.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};

describe('configuration', () => {
  it('[CFG1] demo is on by default only on the embedded database', () => {
    expect(readEnv({}).demo).toBe(true);
    expect(readEnv({ DATABASE_URL: 'postgres://x/y' }).demo).toBe(false);
    expect(readEnv({ DATABASE_URL: 'postgres://x/y', DEMO: '1' }).demo).toBe(true);
    expect(readEnv({ DEMO: '0' }).demo).toBe(false);
    expect(readEnv({}).port).toBe(8080);
  });

  it('[CFG2] a bad environment value stops the start naming it', () => {
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readEnv({ WALL_TOKEN: 'short' })).toThrow(/WALL_TOKEN: must be at least 16 characters/);
  });

  it('[CFG3] CONFIG_FILE overrides merge into the defaults', () => {
    const config = loadDomainConfig(file('ok.json', { sla: { atRiskFraction: 0.7 }, evaluationDays: 5 }));
    expect(config.sla.atRiskFraction).toBe(0.7);
    expect(config.sla.tiers).toEqual(DEFAULT_DOMAIN.sla.tiers);
    expect(config.evaluationDays).toBe(5);
    const warning = loadDomainConfig(file('warning.json', { earlyWarning: { recurring: { minCases: 4, days: 10 } } })).earlyWarning;
    expect(warning.recurring).toEqual({ ...DEFAULT_DOMAIN.earlyWarning.recurring, minCases: 4, days: 10 });
    expect(warning.surge).toEqual(DEFAULT_DOMAIN.earlyWarning.surge);
  });

  it('[CFG4] a bad CONFIG_FILE stops the start naming the setting', () => {
    expect(() => loadDomainConfig(file('broken.json', '{ nope'))).toThrow(ConfigError);
    expect(() => loadDomainConfig(file('unknown.json', { colour: 1 }))).toThrow(/colour/);
    expect(() => loadDomainConfig(file('fraction.json', { sla: { atRiskFraction: 3 } }))).toThrow(/atRiskFraction/);
    expect(() => loadDomainConfig(file('tier.json', { sla: { urgencyTier: { normal: 'someday' } } }))).toThrow(/urgencyTier\.normal/);
    expect(() => loadDomainConfig(file('alpha.json', { earlyWarning: { surge: { alpha: 2 } } }))).toThrow(/earlyWarning\.surge\.alpha/);
  });
});
