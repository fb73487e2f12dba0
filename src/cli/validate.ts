import { InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';
import { hasControlCharacter } from '../core/sanitize.js';

/** Option parsers for commander: bad values become exit 2 with commander's "error: option …" message. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    const parsed = Number(value);
    if (parsed < min || parsed > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return parsed;
  };
}

const MAX_TEXT_ARGUMENT = 200;

/** A free-text argument (a query, a location): trimmed, non-empty, short, and free of control characters. */
export function text(label: string, max = MAX_TEXT_ARGUMENT): (value: string) => string {
  return (value) => {
    const trimmed = value.trim();
    if (!trimmed) throw new InvalidArgumentError(`the ${label} is empty.`);
    if (trimmed.length > max)
      throw new InvalidArgumentError(`the ${label} is longer than ${max} characters.`);
    if (hasControlCharacter(trimmed)) {
      throw new InvalidArgumentError(`the ${label} contains control characters.`);
    }
    return trimmed;
  };
}

/** Like `text`, for a repeatable option: collects every value. */
export function repeatable(
  parse: (value: string) => string,
): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

/** A domain's argument parser for commander: its UsageError becomes commander's "error: … is invalid. <why>". */
export function argumentParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof UsageError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}
