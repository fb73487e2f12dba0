import type { Pay } from '../../jobs/model.js';

const PERIOD_SUFFIX = { year: '/yr', month: '/mo', hour: '/h' } as const;

/** 120000 → "120k", 7500 → "7.5k", 45.5 → "45.5": short enough for a table column. */
function amount(value: number): string {
  if (Math.abs(value) < 1000) return String(Math.round(value * 100) / 100);
  return `${Math.round(value / 100) / 10}k`;
}

/** "USD 120k–150k/yr", "EUR 4k/mo", "45–60/h"; null when the posting states no pay numbers. */
export function formatPay(pay: Pay): string | null {
  const numbers = [pay.min, pay.max].filter((value): value is number => value !== null);
  if (numbers.length === 0) return null;
  const range =
    numbers.length === 2 && numbers[0] !== numbers[1]
      ? `${amount(numbers[0]!)}–${amount(numbers[1]!)}`
      : amount(numbers[0]!);
  const currency = pay.currency ? `${pay.currency} ` : '';
  return `${currency}${range}${pay.period ? PERIOD_SUFFIX[pay.period] : ''}`;
}
