import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFilterCriteria, sqsFilterView } from '../../../local/event-sources/event-filter';

/** Whether the single pattern matches the record. */
function matches(pattern: object | string, record: object): boolean {
  return compileFilterCriteria([typeof pattern === 'string' ? pattern : JSON.stringify(pattern)])(record);
}

/** A DynamoDB stream record as Lambda delivers (and filters) it. */
function streamRecord(eventName: string, newImage?: object): object {
  return {
    eventID: '1',
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { Keys: { orderID: { S: 'o-1' } }, SequenceNumber: '100', StreamViewType: 'NEW_IMAGE', ...(newImage ? { NewImage: newImage } : {}) },
  };
}

describe('compileFilterCriteria', () => {
  it("applies the orders stack's synthesized INSERT-only filter to stream records", () => {
    // The pattern as synthesized, when a synth output is present; the same literal otherwise.
    const stackFile = join(__dirname, '../../../cdktf.out/stacks/orders-pipeline/cdk.tf.json');
    let pattern = '{"eventName":["INSERT"]}';
    try {
      const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as {
        resource: { aws_lambda_event_source_mapping: Record<string, { event_source_arn: string; filter_criteria?: { filter: { pattern: string }[] } }> };
      };
      const streamMappings = Object.values(stack.resource.aws_lambda_event_source_mapping).filter((mapping) =>
        mapping.event_source_arn.includes('.stream_arn}'),
      );
      expect(streamMappings).toHaveLength(1);
      const filters = streamMappings[0].filter_criteria?.filter ?? [];
      expect(filters).toHaveLength(1);
      pattern = filters[0].pattern;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    expect(JSON.parse(pattern)).toEqual({ eventName: ['INSERT'] });

    const onlyInserts = compileFilterCriteria([pattern]);
    expect(onlyInserts(streamRecord('INSERT', { item: { S: 'gloves' } }))).toBe(true);
    expect(onlyInserts(streamRecord('MODIFY', { item: { S: 'gloves' } }))).toBe(false);
    expect(onlyInserts(streamRecord('REMOVE'))).toBe(false);
  });

  it('lets every record through without patterns, and any matching pattern through with several', () => {
    expect(compileFilterCriteria([])({ anything: 1 })).toBe(true);
    const either = compileFilterCriteria(['{"eventName":["INSERT"]}', '{"eventName":["REMOVE"]}']);
    expect(either(streamRecord('INSERT'))).toBe(true);
    expect(either(streamRecord('REMOVE'))).toBe(true);
    expect(either(streamRecord('MODIFY'))).toBe(false);
  });

  describe('exact values', () => {
    it('matches strings, numbers, booleans and null by type and value', () => {
      expect(matches({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
      expect(matches({ a: ['x'] }, { a: 'X' })).toBe(false);
      expect(matches({ a: [''] }, { a: '' })).toBe(true);
      expect(matches({ a: [300] }, { a: 3.0e2 })).toBe(true);
      expect(matches({ a: [1] }, { a: '1' })).toBe(false);
      expect(matches({ a: ['1'] }, { a: 1 })).toBe(false);
      expect(matches({ a: [true] }, { a: true })).toBe(true);
      expect(matches({ a: [true] }, { a: 'true' })).toBe(false);
      expect(matches({ a: [null] }, { a: null })).toBe(true);
      expect(matches({ a: [null] }, {})).toBe(false);
    });

    it('ANDs fields and matches a record array when any element matches', () => {
      expect(matches({ a: ['x'], b: ['y'] }, { a: 'x', b: 'y' })).toBe(true);
      expect(matches({ a: ['x'], b: ['y'] }, { a: 'x', b: 'z' })).toBe(false);
      expect(matches({ tags: ['red'] }, { tags: ['blue', 'red'] })).toBe(true);
      expect(matches({ tags: ['red'] }, { tags: [] })).toBe(false);
    });

    it('descends into nested objects, DynamoDB JSON included', () => {
      const pattern = { eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['paid'] } } } };
      expect(matches(pattern, streamRecord('INSERT', { status: { S: 'paid' } }))).toBe(true);
      expect(matches(pattern, streamRecord('INSERT', { status: { S: 'new' } }))).toBe(false);
      expect(matches(pattern, streamRecord('INSERT'))).toBe(false);
    });

    it('matches a nested pattern within one element of an array of objects', () => {
      const record = { employees: [{ first: 'John', last: 'Doe' }, { first: 'Anna', last: 'Smith' }] };
      expect(matches({ employees: { first: ['Anna'], last: ['Smith'] } }, record)).toBe(true);
      expect(matches({ employees: { first: ['Anna'], last: ['Doe'] } }, record)).toBe(false);
    });
  });

  describe('operators', () => {
    it('prefix and suffix match strings only, optionally ignoring case', () => {
      expect(matches({ region: [{ prefix: 'us-' }] }, { region: 'us-east-1' })).toBe(true);
      expect(matches({ region: [{ prefix: 'us-' }] }, { region: 'eu-west-1' })).toBe(false);
      expect(matches({ n: [{ prefix: '1' }] }, { n: 12 })).toBe(false);
      expect(matches({ file: [{ suffix: '.png' }] }, { file: 'a/b.png' })).toBe(true);
      expect(matches({ file: [{ suffix: '.png' }] }, { file: 'a/b.PNG' })).toBe(false);
      expect(matches({ file: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { file: 'a/b.PNG' })).toBe(true);
      expect(matches({ svc: [{ prefix: { 'equals-ignore-case': 'EVENTB' } }] }, { svc: 'EventBridge' })).toBe(true);
    });

    it('equals-ignore-case', () => {
      expect(matches({ name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' })).toBe(true);
      expect(matches({ name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'alicia' })).toBe(false);
    });

    it('anything-but with a value, a list, a prefix, a suffix or ignoring case; never an absent field', () => {
      expect(matches({ state: [{ 'anything-but': 'raining' }] }, { state: 'sunny' })).toBe(true);
      expect(matches({ state: [{ 'anything-but': 'raining' }] }, { state: 'raining' })).toBe(false);
      expect(matches({ state: [{ 'anything-but': 'raining' }] }, {})).toBe(false);
      expect(matches({ state: [{ 'anything-but': ['a', 'b'] }] }, { state: 'b' })).toBe(false);
      expect(matches({ state: [{ 'anything-but': ['a', 'b'] }] }, { state: 'c' })).toBe(true);
      expect(matches({ n: [{ 'anything-but': [100, 200] }] }, { n: 200 })).toBe(false);
      expect(matches({ n: [{ 'anything-but': [100, 200] }] }, { n: 300 })).toBe(true);
      expect(matches({ n: [{ 'anything-but': 100 }] }, { n: 100 })).toBe(false);
      expect(matches({ region: [{ 'anything-but': { prefix: 'us-' } }] }, { region: 'eu-west-1' })).toBe(true);
      expect(matches({ region: [{ 'anything-but': { prefix: 'us-' } }] }, { region: 'us-east-1' })).toBe(false);
      expect(matches({ file: [{ 'anything-but': { suffix: '.png' } }] }, { file: 'a.png' })).toBe(false);
      expect(matches({ s: [{ 'anything-but': { 'equals-ignore-case': ['init', 'done'] } }] }, { s: 'DONE' })).toBe(false);
      expect(matches({ s: [{ 'anything-but': { 'equals-ignore-case': 'init' } }] }, { s: 'running' })).toBe(true);
    });

    it('numeric comparisons and ranges match numbers only', () => {
      expect(matches({ price: [{ numeric: ['=', 100] }] }, { price: 100 })).toBe(true);
      expect(matches({ price: [{ numeric: ['=', 100] }] }, { price: '100' })).toBe(false);
      expect(matches({ price: [{ numeric: ['>', 10, '<=', 20] }] }, { price: 20 })).toBe(true);
      expect(matches({ price: [{ numeric: ['>', 10, '<=', 20] }] }, { price: 10 })).toBe(false);
      expect(matches({ price: [{ numeric: ['>=', 10, '<', 20] }] }, { price: 10 })).toBe(true);
      expect(matches({ price: [{ numeric: ['>=', 10, '<', 20] }] }, { price: 20 })).toBe(false);
      expect(matches({ price: [{ numeric: ['<', 0] }] }, { price: -1.5 })).toBe(true);
      expect(matches({ price: [{ numeric: ['<=', 0] }] }, { price: 0.1 })).toBe(false);
      // DynamoDB numbers are strings in a stream record: numeric never matches them.
      expect(matches({ dynamodb: { NewImage: { qty: { N: [{ numeric: ['>', 0] }] } } } }, streamRecord('INSERT', { qty: { N: '5' } }))).toBe(false);
    });

    it('exists: true needs a leaf value; exists: false matches absent fields and non-leaf values', () => {
      expect(matches({ a: [{ exists: true }] }, { a: 'x' })).toBe(true);
      expect(matches({ a: [{ exists: true }] }, { a: null })).toBe(true);
      expect(matches({ a: [{ exists: true }] }, {})).toBe(false);
      expect(matches({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
      expect(matches({ a: [{ exists: false }] }, {})).toBe(true);
      expect(matches({ a: [{ exists: false }] }, { a: 0 })).toBe(false);
      expect(matches({ a: [{ exists: false }] }, { a: [] })).toBe(true);
      expect(matches({ a: { b: [{ exists: false }] } }, {})).toBe(true);
      expect(matches({ dynamodb: { OldImage: { status: [{ exists: false }] } } }, streamRecord('INSERT'))).toBe(true);
    });

    it('mixes values and operators in one list (any of them)', () => {
      const pattern = { s: ['exact', { prefix: 'pre-' }, { exists: false }] };
      expect(matches(pattern, { s: 'exact' })).toBe(true);
      expect(matches(pattern, { s: 'pre-x' })).toBe(true);
      expect(matches(pattern, {})).toBe(true);
      expect(matches(pattern, { s: 'other' })).toBe(false);
    });

    it('$or: any alternative, ANDed with the other fields, nested too', () => {
      const pattern = {
        source: ['orders'],
        $or: [{ metric: ['cpu', 'latency'] }, { namespace: ['AWS/EC2'], detail: { $or: [{ id: [1] }, { space: [2] }] } }],
      };
      expect(matches(pattern, { source: 'orders', metric: 'cpu' })).toBe(true);
      expect(matches(pattern, { source: 'orders', namespace: 'AWS/EC2', detail: { space: 2 } })).toBe(true);
      expect(matches(pattern, { source: 'orders', namespace: 'AWS/EC2', detail: { space: 3 } })).toBe(false);
      expect(matches(pattern, { source: 'billing', metric: 'cpu' })).toBe(false);
    });
  });

  describe('as Event Ruler answers where this module used to differ (issue 12)', () => {
    it('anything-but takes a list of prefixes or of suffixes: none of them may match', () => {
      const notScratch = { path: [{ 'anything-but': { prefix: ['tmp/', 'cache/'] } }] };
      expect(matches(notScratch, { path: 'docs/readme' })).toBe(true);
      expect(matches(notScratch, { path: 'cache/readme' })).toBe(false);
      expect(matches(notScratch, {})).toBe(false);
      const notImage = { file: [{ 'anything-but': { suffix: ['.jpg', '.gif'] } }] };
      expect(matches(notImage, { file: 'notes.txt' })).toBe(true);
      expect(matches(notImage, { file: 'cat.gif' })).toBe(false);
      expect(() => compileFilterCriteria([JSON.stringify({ p: [{ 'anything-but': { prefix: ['a', 7] } }] })])).toThrow(/Invalid Lambda filter pattern/);
      expect(() => compileFilterCriteria([JSON.stringify({ p: [{ 'anything-but': { suffix: ['a', ''] } }] })])).toThrow(/must not be empty/);
    });

    it('anything-but by prefix, suffix or ignoring case matches a value that is not a string', () => {
      expect(matches({ v: [{ 'anything-but': { prefix: 'x' } }] }, { v: 7 })).toBe(true);
      expect(matches({ v: [{ 'anything-but': { prefix: 'x' } }] }, { v: null })).toBe(true);
      expect(matches({ v: [{ 'anything-but': { suffix: 'x' } }] }, { v: false })).toBe(true);
      expect(matches({ v: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] }, { v: 42 })).toBe(true);
      expect(matches({ v: [{ 'anything-but': { 'equals-ignore-case': ['x', 'y'] } }] }, { v: null })).toBe(true);
      // Still never an absent field.
      expect(matches({ v: [{ 'anything-but': { prefix: 'x' } }] }, { w: 7 })).toBe(false);
    });

    it('a dotted field name is the nested field it spells, in a pattern and in a record', () => {
      expect(matches({ order: { 'customer.tier': ['gold'] } }, { order: { customer: { tier: 'gold' } } })).toBe(true);
      expect(matches({ order: { customer: { tier: ['gold'] } } }, { order: { 'customer.tier': 'gold' } })).toBe(true);
      expect(matches({ order: { customer: { tier: ['gold'] } } }, { order: { 'customer.tier': 'silver' } })).toBe(false);
      expect(matches({ 'a.b.c': [1] }, { 'a.b': { c: 1 } })).toBe(true);
      expect(matches({ a: { b: [1], c: [2] } }, { 'a.b': 1, a: { c: 2 } })).toBe(true);
      // The dotted key names a path, not a value: one level deeper is another field.
      expect(matches({ 'a.b': { b: [1] } }, { a: { b: 1 } })).toBe(false);
    });

    it('wildcard: * is any run of characters, \\* a star; the whole string must match', () => {
      const invoices = { key: [{ wildcard: 'invoices/*/2026-*.pdf' }] };
      expect(matches(invoices, { key: 'invoices/acme/2026-01.pdf' })).toBe(true);
      expect(matches(invoices, { key: 'invoices//2026-.pdf' })).toBe(true);
      expect(matches(invoices, { key: 'invoices/acme/2025-01.pdf' })).toBe(false);
      expect(matches(invoices, { key: 'invoices/acme/2026-01.pdf.bak' })).toBe(false);
      expect(matches({ n: [{ wildcard: '1*' }] }, { n: 12 })).toBe(false);
      expect(matches({ s: [{ wildcard: 'a\\*b' }] }, { s: 'a*b' })).toBe(true);
      expect(matches({ s: [{ wildcard: 'a\\*b' }] }, { s: 'axb' })).toBe(false);
      expect(matches({ s: [{ wildcard: '' }] }, { s: '' })).toBe(true);
      expect(matches({ s: [{ wildcard: '' }] }, { s: 'x' })).toBe(false);
      expect(() => compileFilterCriteria(['{"s": [{"wildcard": "a**b"}]}'])).toThrow(/Invalid Lambda filter pattern.*consecutive wildcard/);
      expect(() => compileFilterCriteria(['{"s": [{"wildcard": ["a*"]}]}'])).toThrow(/Invalid Lambda filter pattern/);
      const notScratch = { key: [{ 'anything-but': { wildcard: ['tmp/*', '*.bak'] } }] };
      expect(matches(notScratch, { key: 'docs/a.txt' })).toBe(true);
      expect(matches(notScratch, { key: 'docs/a.bak' })).toBe(false);
      expect(matches(notScratch, { key: 5 })).toBe(true);
    });

    it('cidr: an IP address string inside the block, v4 or v6', () => {
      const office = { ip: [{ cidr: '192.168.4.0/22' }] };
      expect(matches(office, { ip: '192.168.7.255' })).toBe(true);
      expect(matches(office, { ip: '192.168.8.0' })).toBe(false);
      expect(matches(office, { ip: 'not-an-ip' })).toBe(false);
      expect(matches(office, { ip: 3232236544 })).toBe(false);
      expect(matches(office, { ip: '::ffff:192.168.4.1' })).toBe(false);
      const v6 = { ip: [{ cidr: 'fd00:ab::/32' }] };
      expect(matches(v6, { ip: 'fd00:00ab:0000:0000:0000:0000:0000:0001' })).toBe(true);
      expect(matches(v6, { ip: 'fd00:ac::1' })).toBe(false);
      for (const cidr of ['192.168.4.0', '192.168.4.0/x', '300.1.1.1/8', '10.0.0.0/33', ['10.0.0.0/8']]) {
        expect(() => compileFilterCriteria([JSON.stringify({ ip: [{ cidr }] })])).toThrow(/Invalid Lambda filter pattern/);
      }
    });
  });

  describe('refuses at compile time', () => {
    it.each([
      [{ file: [{ wildcard: '*/*/*.png' }] }, /a wildcard with 3 "\*" .* is not supported locally/],
      [{ file: [{ wildcard: 'a\\b' }] }, /a backslash before "b" .* is not supported locally/],
      [{ a: { b: ['x'] }, 'a.b': ['y'] }, /"a.b" values under two spellings .* is not supported locally/],
      [{ a: [{ contains: 'x' }] }, /unknown operator "contains"/],
    ])('what it cannot evaluate in %j, naming it and the pattern', (pattern, message) => {
      const text = JSON.stringify(pattern);
      expect(() => compileFilterCriteria([text])).toThrow(message);
      expect(() => compileFilterCriteria([text])).toThrow(text);
    });

    it.each([
      ['not json', /not JSON/],
      ['["eventName"]', /must be a JSON object/],
      ['{}', /empty objects/],
      ['{"eventName": "INSERT"}', /"eventName" must be an object or an array/],
      ['{"eventName": []}', /empty arrays/],
      ['{"a": [["x"]]}', /match value must be/],
      ['{"a": [{"prefix": "x", "suffix": "y"}]}', /exactly one key/],
      ['{"a": [{"prefix": 1}]}', /prefix must be a string/],
      ['{"a": [{"numeric": [">", "1"]}]}', /needs a number/],
      ['{"a": [{"numeric": ["<", 1, ">", 0]}]}', /ranges start with/],
      ['{"a": [{"numeric": ["!=", 1]}]}', /unknown comparison/],
      ['{"a": [{"exists": "yes"}]}', /true or false/],
      ['{"a": [{"anything-but": ["x", 1]}]}', /only strings or only numbers/],
      ['{"a": [{"anything-but": {"prefix": ""}}]}', /must not be empty/],
      ['{"$or": [{"a": ["x"]}]}', /at least 2/],
      ['{"$or": [{"prefix": ["x"]}, {"a": ["y"]}]}', /operator and cannot be a field name inside \$or/],
      ['{"a": {"prefix": "x"}}', /operator goes inside the field's array/],
    ])('the invalid pattern %s', (pattern, message) => {
      expect(() => compileFilterCriteria([pattern])).toThrow(message);
    });

    it('even when another pattern of the mapping is valid', () => {
      expect(() => compileFilterCriteria(['{"eventName":["INSERT"]}', '{"a":[{"wildcard":"*a*b*c"}]}'])).toThrow(/wildcard/);
    });
  });
});

describe('sqsFilterView', () => {
  const record = (body: string) => ({ messageId: 'm-1', body, attributes: { ApproximateReceiveCount: '1' } });

  it('lets body patterns reach into a JSON body', () => {
    const pattern = compileFilterCriteria(['{"body":{"RequestCode":["BBBB"]}}']);
    expect(pattern(sqsFilterView(record('{"RequestCode":"BBBB","RecordNumber":1}')))).toBe(true);
    expect(pattern(sqsFilterView(record('{"RequestCode":"AAAA"}')))).toBe(false);
    // Without the view, Lambda's parsing is missing and nothing matches.
    expect(pattern(record('{"RequestCode":"BBBB"}'))).toBe(false);
  });

  it('keeps a plain-text body a string: only plain-string body patterns can match it', () => {
    const view = sqsFilterView(record('hello world'));
    expect(view.body).toBe('hello world');
    expect(compileFilterCriteria(['{"body":["hello world"]}'])(view)).toBe(true);
    expect(compileFilterCriteria(['{"body":[{"prefix":"hello"}]}'])(view)).toBe(true);
    expect(compileFilterCriteria(['{"body":{"hello":[{"exists":true}]}}'])(view)).toBe(false);
    expect(compileFilterCriteria(['{"body":{"hello":["world"]}}'])(view)).toBe(false);
    // As in Event Ruler, a field under a string is absent: only `exists: false` matches it.
    expect(compileFilterCriteria(['{"body":{"hello":[{"exists":false}]}}'])(view)).toBe(true);
  });

  it('leaves the record itself untouched', () => {
    const original = record('{"a":1}');
    const view = sqsFilterView(original);
    expect(view.body).toEqual({ a: 1 });
    expect(original.body).toBe('{"a":1}');
    expect(view.messageId).toBe('m-1');
  });
});
