/**
 * Reads the one Terraform expression shape cdktf writes for `Fn.jsonencode({...})` of a flat
 * object, as the dashboard's config.json content is:
 *
 *   ${jsonencode({"region" = "us-east-1", "clientId" = aws_cognito_user_pool_client.web.id,
 *                 "authority" = "https://cognito-idp.us-east-1.amazonaws.com/${data.x.outputs.y}", "maxUploadBytes" = 10485760})}
 *
 * Each value comes back as Terraform would see it before evaluation: a string (templates such
 * as `${...}` kept as written, for `SynthesizedStack.resolve`), a bare reference written as
 * the template `${reference}`, a number or a boolean. Anything else (nested objects, function
 * calls, operators) is refused, so that a caller never works with a half-read value.
 */
export type JsonencodedValue = string | number | boolean;

const WRAPPER = /^\$\{jsonencode\(\{([\s\S]*)\}\)\}$/;
const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[\d+\])+/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;

/** True when `text` is cdktf's rendering of `Fn.jsonencode` of an object. */
export function isJsonencodedObject(text: string): boolean {
  return WRAPPER.test(text);
}

export function readJsonencodedObject(text: string): Record<string, JsonencodedValue> {
  const body = WRAPPER.exec(text.trim());
  if (!body) throw new Error(`Not a jsonencode({...}) expression: ${text.slice(0, 80)}`);
  const reader = new Reader(body[1]);
  const entries: [string, JsonencodedValue][] = [];
  reader.skipSpace();
  while (!reader.done()) {
    const key = reader.stringLiteral();
    reader.expect('=');
    entries.push([key, reader.value()]);
    reader.skipSpace();
    if (!reader.done()) reader.expect(',');
    reader.skipSpace();
  }
  return Object.fromEntries(entries);
}

class Reader {
  private at = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (!this.done() && /\s/.test(this.text[this.at])) this.at++;
  }

  expect(token: string): void {
    this.skipSpace();
    if (!this.text.startsWith(token, this.at)) this.fail(`expected "${token}"`);
    this.at += token.length;
  }

  value(): JsonencodedValue {
    this.skipSpace();
    const rest = this.text.slice(this.at);
    if (rest.startsWith('"')) return this.stringLiteral();
    for (const [word, value] of [['true', true], ['false', false]] as const) {
      if (new RegExp(`^${word}\\b`).test(rest)) {
        this.at += word.length;
        return value;
      }
    }
    const number = NUMBER.exec(rest);
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    const reference = REFERENCE.exec(rest);
    if (reference && !/^\s*\(/.test(rest.slice(reference[0].length))) {
      this.at += reference[0].length;
      return `\${${reference[0]}}`;
    }
    return this.fail('expected a string, number, boolean or reference');
  }

  /** A quoted HCL string: JSON-like escapes; `${...}` templates are kept as written. */
  stringLiteral(): string {
    this.skipSpace();
    if (this.text[this.at] !== '"') this.fail('expected a quoted string');
    let out = '';
    let depth = 0;
    for (this.at++; !this.done(); this.at++) {
      const char = this.text[this.at];
      if (char === '\\') {
        const next = this.text[++this.at];
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (!(next in escapes)) this.fail(`unknown escape \\${next}`);
        out += depth > 0 ? `\\${next}` : escapes[next];
        continue;
      }
      if (depth === 0 && this.text.startsWith('$${', this.at)) this.fail('a literal "${" (written "$${") is not supported');
      if (this.text.startsWith('${', this.at)) depth++;
      else if (char === '}' && depth > 0) depth--;
      else if (char === '"' && depth === 0) {
        this.at++;
        return out;
      }
      out += char;
    }
    return this.fail('unterminated string');
  }

  private fail(message: string): never {
    throw new Error(`jsonencode({...}) at ${this.at}: ${message} in ${JSON.stringify(this.text.slice(this.at, this.at + 40))}`);
  }
}
