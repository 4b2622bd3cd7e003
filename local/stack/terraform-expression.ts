/**
 * The small part of Terraform's expression language that cdktf writes into the stacks:
 * `${...}` interpolations in a string (nested ones included), and inside them references
 * (`aws_sns_topic.alerts.arn`, `data.terraform_remote_state.x.outputs.y`), quoted strings
 * that interpolate again, numbers, booleans, `null`, tuples, objects (`{"key" = value}`,
 * as `Fn.jsonencode` writes them) and function calls. Parsing is all this module does:
 * what a reference or a function means is the evaluator's (synthesized-stack.ts).
 */
export type Expression = (
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'template'; readonly parts: readonly (string | Expression)[] }
  | { readonly kind: 'reference'; readonly path: string }
  | { readonly kind: 'tuple'; readonly items: readonly Expression[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [Expression, Expression])[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[] }
) & {
  /** For an interpolation: its text between `${` and `}`, to name it in an error. */
  readonly source?: string;
};

/** A synthesized string: its literal text and the expressions of its `${...}`. */
export function parseTemplate(text: string): (string | Expression)[] {
  const parser = new Parser(text);
  return parser.templateUntil(undefined);
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  /** Literal text and interpolations up to `end` (a closing quote) or the end of the text. */
  templateUntil(end: '"' | undefined): (string | Expression)[] {
    const parts: (string | Expression)[] = [];
    let literal = '';
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (end !== undefined && char === end) break;
      if (char === '$' && this.text.startsWith('$${', this.at)) {
        // Terraform's escape for a literal `${`.
        literal += '${';
        this.at += 3;
      } else if (char === '$' && this.text[this.at + 1] === '{') {
        if (literal !== '') parts.push(literal);
        literal = '';
        this.at += 2;
        const start = this.at;
        const expression = this.expression();
        this.skipSpace(true);
        parts.push({ ...expression, source: this.text.slice(start, this.at).trim() });
        this.expect('}');
      } else if (end !== undefined && char === '\\') {
        const escaped = this.text[this.at + 1];
        literal += { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }[escaped] ?? escaped;
        this.at += 2;
      } else {
        literal += char;
        this.at += 1;
      }
    }
    if (end !== undefined) this.expect(end);
    if (literal !== '') parts.push(literal);
    return parts;
  }

  expression(): Expression {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '"') {
      this.at += 1;
      const parts = this.templateUntil('"');
      return parts.every((part) => typeof part === 'string') ? { kind: 'literal', value: parts.join('') } : { kind: 'template', parts };
    }
    if (char === '{') return this.object();
    if (char === '[') return this.tuple();
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (number) {
      this.at += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+|\[\d+\])*/.exec(this.text.slice(this.at));
    if (!word) throw new Error(`Unexpected ${JSON.stringify(this.text.slice(this.at, this.at + 20))} at ${this.at} in ${this.text}`);
    this.at += word[0].length;
    if (word[0] === 'true' || word[0] === 'false') return { kind: 'literal', value: word[0] === 'true' };
    if (word[0] === 'null') return { kind: 'literal', value: null };
    this.skipSpace();
    if (this.text[this.at] === '(') {
      this.at += 1;
      return { kind: 'call', name: word[0], args: this.listUntil(')') };
    }
    return { kind: 'reference', path: word[0] };
  }

  private object(): Expression {
    this.expect('{');
    const entries: [Expression, Expression][] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.text[this.at] === '}') break;
      const key = this.expression();
      this.skipSpace();
      const separator = this.text[this.at];
      if (separator !== '=' && separator !== ':') throw new Error(`Expected = in an object at ${this.at} in ${this.text}`);
      this.at += 1;
      entries.push([key, this.expression()]);
      this.skipSpace(true);
      if (this.text[this.at] === ',') this.at += 1;
    }
    this.expect('}');
    return { kind: 'object', entries };
  }

  private tuple(): Expression {
    this.expect('[');
    return { kind: 'tuple', items: this.listUntil(']') };
  }

  private listUntil(end: ')' | ']'): Expression[] {
    const items: Expression[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.text[this.at] === end) break;
      items.push(this.expression());
      this.skipSpace(true);
      if (this.text[this.at] === ',') this.at += 1;
    }
    this.expect(end);
    return items;
  }

  private skipSpace(newlines = false): void {
    const space = newlines ? /\s/ : /[ \t\r\n]/;
    while (this.at < this.text.length && space.test(this.text[this.at])) this.at += 1;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new Error(`Expected ${char} at ${this.at} in ${this.text}`);
    this.at += 1;
  }
}
