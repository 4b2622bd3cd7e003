import { parseEvent } from '../../scripts/local/event-input';

describe('the event invoke reads', () => {
  it('is JSON, with the banner `npm run` prints ahead of a piped event skipped', () => {
    expect(parseEvent('{"Records": []}', 'e.json')).toEqual({ Records: [] });
    expect(parseEvent('\n> serverless-pipelines@0.1.0 local\n> node --import tsx scripts/local.ts event sqs\n\n{"a": 1}\n', 'standard input')).toEqual({ a: 1 });
    expect(parseEvent('"just text"', 'e.json')).toBe('just text');
  });

  it('refuses what is not JSON, and an empty input, naming where it came from', () => {
    expect(() => parseEvent('Hello from SQS!', 'e.json')).toThrow(/^The event from e\.json is not JSON: /);
    expect(() => parseEvent('  \n', 'standard input')).toThrow('The event from standard input is empty: nothing to invoke with (did the command before the pipe fail?).');
  });
});
