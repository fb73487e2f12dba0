import { describe, expect, it } from 'vitest';
import { notifies, parseCron, scheduleLine } from '../../src/schedule/crontab.js';
import { UsageError } from '../../src/core/errors.js';

// croner computes in local time; the expected runs below are UTC.
process.env.TZ = 'UTC';
const FROM = new Date('2025-01-01T12:00:00Z');
const utcRuns = async (expression: string, count = 4) =>
  (await parseCron(expression)).nextRuns(count, FROM).map((date) => date.toISOString().slice(0, 16));

describe('parseCron accepts only what the system cron (Vixie/Debian) reads the same way', () => {
  it.each([
    ['0 0 * * 5#3', /weekday field "5#3"/],
    ['0 0 * * 5L', /weekday field "5L"/],
    ['0 0 L * *', /day-of-month field "L"/],
    ['0 0 15W * *', /day-of-month field "15W"/],
    ['0 0 ? * *', /day-of-month field "\?"/],
    ['5/15 * * * *', /minute field "5\/15"/], // cron: minute 5 only; croner: 5, 20, 35, 50
    ['0 0 * * sunday', /weekday field "sunday"/],
    ['0 0 * * +1', /weekday field/],
    ['0 0 0 * * * 2030', /not a 5-field cron expression/],
    ['0 0 0 * * *', /not a 5-field cron expression/],
    ['@reboot', /not a 5-field cron expression/],
    ['@every 5m', /not a 5-field cron expression/],
    ['*/0 * * * *', /illegal stepping/],
    ['50-10 * * * *', /larger than/],
  ])('refuses %s', async (expression, message) => {
    const refusal = parseCron(expression);
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(message);
  });

  it('names the odd syntax cron does not know', async () => {
    await expect(parseCron('0 0 * * 5#3')).rejects.toThrow(/"#", "L", "W" or "\?"/);
  });

  it.each([
    ['@daily', '0 0 * * *'],
    ['@HOURLY', '0 * * * *'],
    ['@midnight', '0 0 * * *'],
    ['@weekly', '0 0 * * 0'],
    ['@monthly', '0 0 1 * *'],
    ['@annually', '0 0 1 1 *'],
    ['  30   7 * *   mon-fri ', '30 7 * * mon-fri'],
    ['0 9 1 jan,JUL *', '0 9 1 jan,JUL *'],
    ['0 */6 * * *', '0 */6 * * *'],
    ['0-30/10 8-18/2 * * 1-5', '0-30/10 8-18/2 * * 1-5'],
  ])('accepts %s as %s', async (expression, fields) => {
    expect((await parseCron(expression)).expression).toBe(fields);
  });

  it('previews the day fields the way cron combines them: OR when both are restricted, AND when one starts with "*"', async () => {
    // 1st of the month OR a Monday.
    expect(await utcRuns('0 0 1 * 1', 6)).toEqual([
      '2025-01-06T00:00',
      '2025-01-13T00:00',
      '2025-01-20T00:00',
      '2025-01-27T00:00',
      '2025-02-01T00:00',
      '2025-02-03T00:00',
    ]);
    // Odd days AND Mondays (Vixie sets DOM_STAR for "*/2").
    expect(await utcRuns('0 0 */2 * 1')).toEqual([
      '2025-01-13T00:00',
      '2025-01-27T00:00',
      '2025-02-03T00:00',
      '2025-02-17T00:00',
    ]);
    // Sunday as 7 too.
    expect(await utcRuns('0 0 * * 7', 2)).toEqual(['2025-01-05T00:00', '2025-01-12T00:00']);
  });
});

describe('the crontab line with notifications', () => {
  const input = {
    expression: '30 7 * * *',
    databaseId: 'abc',
    home: '/home/ada/.local/share/dream-job-search',
    logFile: '/home/ada/.local/share/dream-job-search/logs/update-db.log',
    node: '/usr/bin/node',
    djs: '/opt/djs/bin/djs.js',
    env: {},
  };

  it('runs update-db --notify only when asked, and `show` can tell which', () => {
    const plain = scheduleLine(input);
    const notifying = scheduleLine({ ...input, notify: true });
    expect(plain).toContain("'/opt/djs/bin/djs.js' update-db >> ");
    expect(notifying).toContain("'/opt/djs/bin/djs.js' update-db --notify >> ");
    expect(notifies(plain)).toBe(false);
    expect(notifies(notifying)).toBe(true);
  });
});
