import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { packagePath } from '../../src/core/package-root.js';
import {
  CARRIED_VARIABLES,
  environmentTable,
  rawSetting,
  setting,
  SETTINGS,
  type SettingName,
} from '../../src/core/settings.js';
import { carriedEnvironment } from '../../src/schedule/crontab.js';
import { linkedInClientSettings } from '../../src/sources/linkedin/client.js';

const usageError = (run: () => unknown): UsageError => {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('no UsageError');
};

describe('core/settings', () => {
  it('gives the default when a variable is unset or blank', () => {
    expect(setting({}, 'DJS_RATE_LIMIT')).toBe(20);
    expect(setting({ DJS_RATE_LIMIT: '  ' }, 'DJS_RATE_LIMIT')).toBe(20);
    expect(setting({}, 'DJS_LINKEDIN_TIMEOUT_MS')).toBe(15_000);
    expect(setting({}, 'DJS_SECRET_STORE')).toBe('keychain');
    expect(setting({}, 'DJS_GOOGLE_TOKEN_URL')).toBe('https://oauth2.googleapis.com/token');
    expect(setting({}, 'JWT_ACCESS_TOKEN_EXPIRE_MINUTES')).toBe(30);
    expect(setting({}, 'JWT_SECRET_KEY')).toBeUndefined();
    expect(setting({}, 'DJS_HOME')).toMatch(/dream-job-search/);
  });

  it('parses what is set', () => {
    expect(setting({ DJS_RATE_LIMIT: ' 0 ' }, 'DJS_RATE_LIMIT')).toBe(0);
    expect(setting({ DJS_SECRET_STORE: ' FILE ' }, 'DJS_SECRET_STORE')).toBe('file');
    expect(setting({ DJS_GOOGLE_API_URL: 'http://127.0.0.1:9' }, 'DJS_GOOGLE_API_URL')).toBe(
      'http://127.0.0.1:9/',
    );
    expect(setting({ JWT_REFRESH_TOKEN_EXPIRE_DAYS: '0.5' }, 'JWT_REFRESH_TOKEN_EXPIRE_DAYS')).toBe(0.5);
    // DJS_HOME as set, untrimmed: a folder name may end in a space.
    expect(setting({ DJS_HOME: '/tmp/a ' }, 'DJS_HOME')).toBe('/tmp/a ');
  });

  it.each<[SettingName, string, RegExp]>([
    [
      'DJS_RATE_LIMIT',
      '-5',
      /^DJS_RATE_LIMIT must be a whole number of requests per minute \(0 = off\), not "-5"\.$/,
    ],
    [
      'DJS_LINKEDIN_TIMEOUT_MS',
      '99',
      /^DJS_LINKEDIN_TIMEOUT_MS must be a whole number of milliseconds, at least 100\.$/,
    ],
    [
      'DJS_LINKEDIN_URL',
      'ftp://example.com',
      /^DJS_LINKEDIN_URL must be an http\(s\) URL, not "ftp:\/\/example\.com"\.$/,
    ],
    ['DJS_LINKEDIN_URL', 'not a url', /^DJS_LINKEDIN_URL must be an http\(s\) URL/],
    ['DJS_GOOGLE_AUTH_URL', 'javascript:alert(1)', /^DJS_GOOGLE_AUTH_URL must be an http\(s\) URL/],
    ['DJS_SECRET_STORE', 'vault', /^DJS_SECRET_STORE must be "keychain" or "file", not "vault"\.$/],
    ['JWT_ACCESS_TOKEN_EXPIRE_MINUTES', 'soon', /^JWT_ACCESS_TOKEN_EXPIRE_MINUTES must be a positive number/],
    ['JWT_REFRESH_TOKEN_EXPIRE_DAYS', '-1', /^JWT_REFRESH_TOKEN_EXPIRE_DAYS must be a positive number/],
    ['JWT_SECRET_KEY', 'short', /^JWT_SECRET_KEY must be at least 32 characters long\.$/],
  ])('%s=%j is a UsageError (exit 2) naming the variable', (name, value, message) => {
    const error = usageError(() => setting({ [name]: value }, name));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('is lenient where a stray value should not stop djs', () => {
    expect(setting({ DJS_GOOGLE_BACKOFF_MS: 'abc' }, 'DJS_GOOGLE_BACKOFF_MS')).toBeUndefined();
    expect(setting({ DJS_GOOGLE_BACKOFF_MS: '5' }, 'DJS_GOOGLE_BACKOFF_MS')).toBe(5);
    expect(setting({ COLUMNS: 'wide' }, 'COLUMNS')).toBeUndefined();
    expect(setting({ COLUMNS: '120' }, 'COLUMNS')).toBe(120);
  });

  it('honours the lower-case proxy spelling, the upper case winning', () => {
    expect(setting({ https_proxy: 'http://127.0.0.1:3128' }, 'HTTPS_PROXY')).toBe('http://127.0.0.1:3128');
    expect(setting({ HTTPS_PROXY: 'http://a', https_proxy: 'http://b' }, 'HTTPS_PROXY')).toBe('http://a');
    expect(setting({ HTTPS_PROXY: ' ', https_proxy: 'http://b' }, 'HTTPS_PROXY')).toBe('http://b');
    expect(setting({ no_proxy: 'localhost' }, 'NO_PROXY')).toBe('localhost');
  });

  it('counts NO_COLOR and FORCE_COLOR as set even when empty, by their convention', () => {
    expect(setting({ NO_COLOR: '' }, 'NO_COLOR')).toBe(true);
    expect(setting({}, 'NO_COLOR')).toBe(false);
    expect(setting({ FORCE_COLOR: '' }, 'FORCE_COLOR')).toBe(true);
    expect(setting({ FORCE_COLOR: '0' }, 'FORCE_COLOR')).toBe(false);
    expect(rawSetting({ DISPLAY: '' }, 'DISPLAY')).toBeUndefined();
  });

  it('has a one-line doc and a default for every variable', () => {
    for (const [name, definition] of Object.entries(SETTINGS)) {
      expect(definition.doc, name).toMatch(/^[^\n|]+$/);
      expect(definition.defaultDoc, name).toMatch(/^[^\n|]+$/);
    }
  });
});

describe('what schedule install carries', () => {
  it('is the variables the table marks, never a secret', () => {
    expect(CARRIED_VARIABLES).toEqual(
      expect.arrayContaining(['DJS_SECRET_STORE', 'DJS_LINKEDIN_URL', 'DJS_RATE_LIMIT', 'HTTPS_PROXY']),
    );
    expect(CARRIED_VARIABLES).not.toContain('JWT_SECRET_KEY');
    expect(CARRIED_VARIABLES).not.toContain('GOOGLE_CLIENT_SECRET');
  });

  it('carries values as set (untrimmed), the stable session bus only with the keychain', () => {
    const bus = 'unix:path=/run/user/1000/bus';
    expect(
      carriedEnvironment({
        DJS_RATE_LIMIT: ' 5',
        JWT_SECRET_KEY: 'k'.repeat(40),
        DBUS_SESSION_BUS_ADDRESS: bus,
      }),
    ).toEqual({
      variables: { DJS_RATE_LIMIT: ' 5', DBUS_SESSION_BUS_ADDRESS: bus },
      keychainOutOfReach: false,
    });
    expect(carriedEnvironment({ DJS_SECRET_STORE: 'file', DBUS_SESSION_BUS_ADDRESS: bus })).toEqual({
      variables: { DJS_SECRET_STORE: 'file' },
      keychainOutOfReach: false,
    });
    expect(carriedEnvironment({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/dbus-x' })).toEqual({
      variables: {},
      keychainOutOfReach: true,
    });
  });
});

describe('the LinkedIn client settings update-db and doctor share', () => {
  it('reads the origin, rate, timeout and proxy once', () => {
    expect(linkedInClientSettings({})).toEqual({
      baseUrl: 'https://www.linkedin.com',
      perMinute: 20,
      timeoutMs: 15_000,
      proxyUrl: null,
    });
    expect(
      linkedInClientSettings({
        DJS_LINKEDIN_URL: 'http://127.0.0.1:8080/some/path',
        DJS_RATE_LIMIT: '0',
        DJS_LINKEDIN_TIMEOUT_MS: '300',
        https_proxy: 'http://127.0.0.1:3128',
      }),
    ).toEqual({
      baseUrl: 'http://127.0.0.1:8080',
      perMinute: 0,
      timeoutMs: 300,
      proxyUrl: 'http://127.0.0.1:3128',
    });
  });
});

describe("the README's environment table", () => {
  it('is the one rendered from the settings (node scripts/env-table.mjs)', () => {
    const readme = readFileSync(packagePath('README.md'), 'utf8').split('\n');
    const start = readme.findIndex((line) => line.startsWith('| variable | meaning |'));
    expect(start, 'README has an environment table').toBeGreaterThan(-1);
    const end = readme.findIndex((line, index) => index > start && !line.startsWith('|'));
    expect(readme.slice(start, end).join('\n')).toBe(environmentTable());
  });
});
