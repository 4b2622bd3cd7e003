import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Answers of the dashboard's Lambda proxy routes: JSON, never cached (each answer is one
 * person's), and errors as `{"message": "<a sentence a person reads>"}`.
 */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export function errorResponse(statusCode: number, message: string): APIGatewayProxyResult {
  return jsonResponse(statusCode, { message });
}

/** The caller the TOKEN authorizer let through (its context), as the integration receives it. */
export interface Caller {
  readonly sub: string;
  readonly email: string;
  readonly username: string;
}

/**
 * The caller, from the authorizer's context; undefined when there is none (a route deployed
 * without the authorizer), which the handlers refuse as API Gateway would.
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { sub, email: text(context?.email), username: text(context?.username) };
}

export const UNAUTHORIZED = errorResponse(401, 'Unauthorized');
