import { renderMappingTemplate } from '../../../local/api-gateway/mapping-template';

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
