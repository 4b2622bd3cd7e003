import AjvDraft04 from 'ajv-draft-04';

/**
 * Checks a request body against an API Gateway model (JSON Schema draft-04) the way the
 * method's request validator does: a body that is not JSON, or breaks the schema, is
 * refused with a 400 and never reaches the integration.
 */
export type ModelCheck = { valid: true } | { valid: false; problems: string[] };

const ajv = new AjvDraft04({ allErrors: true, strict: false });

export function checkRequestBody(schema: object, body: string): ModelCheck {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { valid: false, problems: ['the body is not valid JSON'] };
  }
  const validate = ajv.compile(schema);
  if (validate(document)) return { valid: true };
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`.trim());
  return { valid: false, problems };
}
