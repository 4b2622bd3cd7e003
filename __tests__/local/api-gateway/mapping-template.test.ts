import { noOverrides, renderMappingTemplate } from '../../../local/api-gateway/mapping-template';

const render = (template: string) => renderMappingTemplate(template, { body: '' });

describe("String.replaceAll as API Gateway's VTL runs it (java.lang.String: a regex)", () => {
  it('matches a pattern, not the literal text', () => {
    expect(render(`#set($s = "a1b22c")$s.replaceAll("[0-9]+", "-")`)).toBe('a-b-c');
  });

  it("undoes escapeJavaScript's \\' as AWS's documented template does", () => {
    expect(render(`#set($s = "O\\'Brien")$s.replaceAll("\\\\'", "'")`)).toBe("O'Brien");
  });

  it('reads the replacement as Java does: $1 is a group, \\$ a literal dollar', () => {
    expect(render(`#set($s = "ab")$s.replaceAll("(a)(b)", "$2$1")`)).toBe('ba');
    expect(render(`#set($s = "5")$s.replaceAll("5", "\\$5")`)).toBe('$5');
  });
});

/** Renders with a JSON body (and the method request's parameters). */
const renderWith = (template: string, body: string, params?: Parameters<typeof renderMappingTemplate>[1]['params']) =>
  renderMappingTemplate(template, { body, params });

describe('values as API Gateway writes them (issue 12)', () => {
  const order = JSON.stringify({ id: 'o-7', note: null, lines: [{ sku: 'A1', qty: 2 }], tags: ['red', 'blue'], address: { city: 'Graz' } });

  it('writes nothing for a missing or null value, not its reference text or "null"', () => {
    expect(renderWith(`#set($v = $input.path('$.missing'))[$v][$v.deeper][$input.path('$.note')]`, order)).toBe('[][][]');
    expect(renderWith('[$neverSet][${neverSet.either}]', order)).toBe('[][]');
  });

  it('compares a missing value equal to "" and to $null, and an empty list equal to neither', () => {
    const check = (path: string) =>
      renderWith(`#set($v = $input.path('${path}'))#if($v == "")empty#end #if($v == $null)null#end #if($v != "")set#end`, JSON.stringify({ none: [] }));
    expect(check('$.missing')).toBe('empty null ');
    expect(check('$.none')).toBe('  set');
  });

  it('writes a list read by $input.path as JSON, in a map too; a map as Java does', () => {
    expect(renderWith(`$input.path('$.lines')`, order)).toBe('[{"sku":"A1","qty":2}]');
    expect(renderWith(`$input.path('$.tags')`, order)).toBe('["red","blue"]');
    expect(renderWith(`$input.path('$.lines[0]')`, order)).toBe('{sku=A1, qty=2}');
    expect(renderWith(`$input.path('$.address')`, order)).toBe('{city=Graz}');
    expect(renderWith(`#set($o = $util.parseJson('{"a": [1, 2], "b": {"c": null}}'))$o`, '')).toBe('{a=[1,2], b={c=null}}');
    // A list made in the template is a java.util.List.
    expect(render('#set($l = ["x", 2])$l')).toBe('[x, 2]');
  });

  it('.toString() on a map or list gives its Java text, not [object Object]', () => {
    expect(renderWith(`$input.path('$.address').toString()`, order)).toBe('{city=Graz}');
    expect(renderWith(`$input.path('$.tags').toString()`, order)).toBe('["red","blue"]');
  });

  it('reads an empty body as {}', () => {
    expect(renderWith('$input.body', '')).toBe('{}');
    expect(renderWith(`$input.json('$')|$input.path('$').size()`, '')).toBe('{}|0');
  });

  it('$util.urlEncode of a null value writes nothing', () => {
    expect(renderWith('[$util.urlEncode($input.path(\'$.note\'))][$util.urlEncode($input.body.missing)]', order)).toBe('[][]');
  });

  it('answers Java String, Map and List methods as Java does', () => {
    expect(render('#set($s = "a-b-a")$s.length() $s.replace("a", "o") $s.contains("b") $s.isEmpty()')).toBe('5 o-b-o true false');
    expect(render('#set($s = "2026-05-01")$s.split("-").size() $s.matches("\\d{4}-.*") $s.substring(5, 7)')).toBe('3 true 05');
    // Map.put answers the previous value: nothing to write the first time.
    expect(render('#set($m = {})[$m.put("k", "v")][$m.put("k", "w")] $m.containsKey("k") $m.get("k") $m.size()')).toBe('[][v] true w 1');
    expect(renderWith(`$input.path('$.tags').contains("red") $input.path('$.tags').get(1)`, order)).toBe('true blue');
  });
});

describe('$input.params (issue 12)', () => {
  const params = { path: { id: 'o-7' }, querystring: { page: '2', id: 'from-query' }, header: { 'x-trace': 'abc' } };

  it('finds a parameter in the path, else the query string, else the headers (whatever their case)', () => {
    expect(renderWith(`$input.params('id') $input.params('page') $input.params('X-Trace') [$input.params('missing')]`, '', params)).toBe('o-7 2 abc []');
  });

  it('gives all of them as maps', () => {
    expect(renderWith(`$input.params().querystring.page $input.params().header.get('x-trace') $input.params().path.size()`, '', params)).toBe('2 abc 1');
  });

  it('feeds $util.base64Decode, which decodes', () => {
    const encoded = { ...params, path: { doc: Buffer.from('{"n": 1}').toString('base64') } };
    expect(renderWith(`$util.parseJson($util.base64Decode($input.params('doc'))).n`, '', encoded)).toBe('1');
  });
});

describe('$context.requestOverride and responseOverride (issue 12)', () => {
  it('keeps what the request template sets for the response template of the same request', () => {
    const overrides = noOverrides();
    const requestTemplate = [
      '#set($context.requestOverride.header.X-Tenant = "acme")',
      '#set($context.requestOverride.querystring["page"] = "3")',
      '$context.requestOverride.path.put("id", "o-7")',
      '#set($context.responseOverride.status = 409)',
      '#set($context.responseOverride.header.Retry-After = "5")',
      'sent',
    ].join('\n');
    expect(renderMappingTemplate(requestTemplate, { body: '', overrides }).trim()).toBe('sent');
    const responseTemplate = '$context.requestOverride.header.X-Tenant $context.requestOverride.querystring.page $context.requestOverride.path.id $context.responseOverride.status';
    expect(renderMappingTemplate(responseTemplate, { body: '', overrides })).toBe('acme 3 o-7 409');
    expect(overrides.response).toMatchObject({ status: 409, header: { 'Retry-After': '5' } });
  });

  it('changes nothing in the $context it was given', () => {
    const context = { identity: { sourceIp: '10.0.0.1' } };
    renderMappingTemplate('#set($context.identity.sourceIp = "x")', { body: '', context });
    expect(context.identity.sourceIp).toBe('10.0.0.1');
  });
});

describe('refuses what it cannot render as AWS does (issue 12)', () => {
  it.each([
    ['an unknown $util function', '$util.toJson($input.body)', /\$util\.toJson\(\) is not supported locally/],
    ['a String method without a Java counterpart here', '#set($s = "x")$s.codePointAt(0)', /String method codePointAt\(\) is not supported locally/],
    ['a JSONPath beyond $, names and indexes', `$input.path('$..id')`, /JSONPath "\$\.\.id" is not supported locally/],
    ['a JSONPath filter', `$input.path('$.lines[?(@.qty > 1)]')`, /not supported locally/],
    ['#include', '#include("other.vm")', /#include is not supported locally/],
    ['stage variables', '$stageVariables.tableName', /\$stageVariables\.tableName is not supported locally/],
    ['a $context variable AWS always sets and the local runtime has no value for', '$context.accountId', /\$context\.accountId is not supported locally/],
    ['$util.base64Encode of a null value', `$util.base64Encode($input.path('$.none'))`, /base64Encode\(\) of a null value is not supported locally/],
  ])('%s', (_case, template, message) => {
    expect(() => renderWith(template, '{"lines": []}')).toThrow(message);
  });
});
