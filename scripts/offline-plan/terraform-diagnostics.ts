/** A warning or error as terraform prints it with -no-color, kept verbatim. */
export interface Diagnostic {
  severity: 'Warning' | 'Error';
  summary: string;
  text: string;
}

const HEADER = /^(Warning|Error): (.*)$/;
// Lines terraform prints after its diagnostics, or between them: none belong to a diagnostic.
const NOT_DIAGNOSTIC = [/^Success! /, /^─+$/, /^Plan: /, /^No changes\./, /^Saved the plan/, /^Terraform has been successfully initialized/];

function endsBlock(line: string): boolean {
  return HEADER.test(line) || NOT_DIAGNOSTIC.some((pattern) => pattern.test(line));
}

/**
 * The diagnostics in terraform's plain (-no-color) output. Each runs from its
 * "Warning: ..."/"Error: ..." line to the next diagnostic or the next summary line, and keeps
 * terraform's own "(and N more similar warnings elsewhere)" note.
 */
export function parseDiagnostics(output: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  let current: { severity: Diagnostic['severity']; summary: string; lines: string[] } | undefined;
  const finish = () => {
    if (current) found.push({ severity: current.severity, summary: current.summary, text: current.lines.join('\n').trimEnd() });
    current = undefined;
  };
  for (const line of output.split(/\r?\n/)) {
    const header = HEADER.exec(line);
    if (header || endsBlock(line)) finish();
    if (header) current = { severity: header[1] as Diagnostic['severity'], summary: header[2], lines: [line] };
    else current?.lines.push(line);
  }
  finish();
  return found;
}

/** The parts of `terraform validate -json` output this script reads. */
export interface ValidateJson {
  diagnostics?: { severity: string; summary: string; detail?: string; address?: string; range?: { filename: string; start: { line: number } } }[];
}

/** One line per diagnostic, with every resource named: the plain output folds similar ones together. */
export function formatValidateDiagnostics(validate: ValidateJson): string[] {
  return (validate.diagnostics ?? []).map((diagnostic) => {
    const where = diagnostic.address ?? (diagnostic.range ? `${diagnostic.range.filename}:${diagnostic.range.start.line}` : 'configuration');
    const detail = diagnostic.detail ? `: ${diagnostic.detail.replace(/\s+/g, ' ').trim()}` : '';
    return `${diagnostic.severity}: ${diagnostic.summary} (${where})${detail}`;
  });
}
