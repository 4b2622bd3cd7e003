import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { AwsIntegrationRequest, AwsIntegrationResponse, AwsServiceBackend } from './aws-integration';

/**
 * The `sqs` backend of the local API Gateway: answers the SQS Query API calls an AWS
 * integration makes, through the SDK.
 *
 * Why an adapter: API Gateway calls SQS's Query API, a form-encoded body such as
 * `Action=SendMessage&MessageBody=...` posted to `/<account>/<queue>` (the integration's
 * path override), and reads the answer as JSON because it asks for JSON. The local SQS
 * emulator (fauxqs) speaks only SQS's JSON protocol. So this parses the form, makes the
 * same call with the SDK, and answers in the Query API's JSON shape, errors included.
 * Only SendMessage is supported; any other action is refused as SQS refuses an unknown
 * one (400 InvalidAction).
 */
export interface SqsQueryBackendOptions {
  /** A client of the local SQS, with an explicit `endpoint` (see local/emulators/fauxqs.ts). */
  readonly sqs: SQSClient;
  /** The local queue URL for the account and queue named in the integration's path. */
  readonly queueUrlOf: (accountId: string, queueName: string) => Promise<string>;
}

export function sqsQueryBackend(options: SqsQueryBackendOptions): AwsServiceBackend {
  return async (request: AwsIntegrationRequest): Promise<AwsIntegrationResponse> => {
    const form = new URLSearchParams(request.body);
    const action = form.get('Action');
    try {
      if (action !== 'SendMessage') {
        throw new QueryError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint.`);
      }
      const queueUrl = await queueUrlFor(request.uri, form, options.queueUrlOf);
      return await sendMessage(options.sqs, queueUrl, form);
    } catch (error) {
      if (error instanceof NotSupportedLocally) throw error;
      return errorResponse(error);
    }
  };
}

/** Characters past Unicode's Basic Multilingual Plane (emoji among them): SQS takes them, fauxqs 1.9 does not. */
const SUPPLEMENTARY_CHARACTER = /[\u{10000}-\u{10FFFF}]/u;

async function sendMessage(sqs: SQSClient, queueUrl: string, form: URLSearchParams): Promise<AwsIntegrationResponse> {
  const messageBody = form.get('MessageBody');
  if (messageBody === null) throw new QueryError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const supplementary = SUPPLEMENTARY_CHARACTER.exec(messageBody);
  if (supplementary) {
    // Not an SQS answer (SQS would take the message): a loud failure of the local gateway,
    // logged with its reason, instead of an SQS error that would read as the client's fault.
    const codePoint = supplementary[0].codePointAt(0)!.toString(16).toUpperCase();
    throw new NotSupportedLocally(
      `the message holds U+${codePoint}, a character outside Unicode's Basic Multilingual Plane: SQS takes it, but fauxqs 1.9 (the local SQS) refuses it, so this is not supported locally`,
    );
  }
  const delay = form.get('DelaySeconds');
  if (delay !== null && !/^\d+$/.test(delay)) {
    throw new QueryError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: must be an integer.`);
  }
  const output = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: messageBody,
      DelaySeconds: delay === null ? undefined : Number(delay),
      MessageAttributes: messageAttributes(form),
      MessageGroupId: form.get('MessageGroupId') ?? undefined,
      MessageDeduplicationId: form.get('MessageDeduplicationId') ?? undefined,
    }),
  );
  return {
    statusCode: 200,
    body: JSON.stringify({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: output.$metadata.requestId ?? randomUUID() },
        SendMessageResult: {
          MD5OfMessageAttributes: output.MD5OfMessageAttributes ?? null,
          MD5OfMessageBody: output.MD5OfMessageBody ?? null,
          MD5OfMessageSystemAttributes: output.MD5OfMessageSystemAttributes ?? null,
          MessageId: output.MessageId ?? null,
          SequenceNumber: output.SequenceNumber ?? null,
        },
      },
    }),
  };
}

/**
 * The queue the call is for: `path/<account>/<queue>` in the integration uri (API
 * Gateway's path override), else the form's QueueUrl (an `action/SendMessage` uri).
 */
async function queueUrlFor(uri: string, form: URLSearchParams, queueUrlOf: SqsQueryBackendOptions['queueUrlOf']): Promise<string> {
  const path = /^arn:[^:]+:apigateway:[^:]*:[^:]*sqs:path\/([^/]+)\/([^/?]+)\/?$/.exec(uri);
  if (path) return queueUrlOf(decodeURIComponent(path[1]), decodeURIComponent(path[2]));
  const queueUrl = form.get('QueueUrl');
  const parts = queueUrl === null ? null : /\/([^/]+)\/([^/?]+)\/?$/.exec(new URL(queueUrl).pathname);
  if (parts) return queueUrlOf(parts[1], parts[2]);
  throw new QueryError('MissingParameter', `The request must name a queue: path/<account>/<queue> in the integration uri (${uri}), or a QueueUrl parameter.`);
}

/** `MessageAttribute.N.Name`, `.Value.DataType`, `.Value.StringValue` / `.Value.BinaryValue` (base64). */
function messageAttributes(form: URLSearchParams): Record<string, MessageAttributeValue> | undefined {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [key, name] of form) {
    const index = /^MessageAttribute\.(\d+)\.Name$/.exec(key)?.[1];
    if (index === undefined) continue;
    const field = (suffix: string) => form.get(`MessageAttribute.${index}.Value.${suffix}`) ?? undefined;
    const dataType = field('DataType');
    if (dataType === undefined) {
      throw new QueryError('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty attribute type.`);
    }
    const binary = field('BinaryValue');
    attributes[name] = {
      DataType: dataType,
      StringValue: field('StringValue'),
      BinaryValue: binary === undefined ? undefined : Buffer.from(binary, 'base64'),
    };
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

/** An error this adapter raises itself, in the Query API's terms. */
/** What the local SQS cannot do that SQS does: the gateway fails loudly rather than answer as SQS never would. */
class NotSupportedLocally extends Error {}

class QueryError extends Error {
  readonly $fault = 'client';
  constructor(
    readonly Code: string,
    message: string,
  ) {
    super(message);
    this.name = Code;
  }
}

/**
 * The Query API's JSON error: 400 and Type Sender for the caller's fault, else 500 and
 * Receiver. The SDK gives SQS's query-compatible code (e.g.
 * AWS.SimpleQueueService.NonExistentQueue) as `Code` when the service sends it.
 */
function errorResponse(error: unknown): AwsIntegrationResponse {
  const failure = error as { name?: string; message?: string; Code?: string; $fault?: string; $metadata?: { requestId?: string } };
  const clientFault = failure.$fault === 'client';
  return {
    statusCode: clientFault ? 400 : 500,
    body: JSON.stringify({
      Error: {
        Code: queryErrorCode(failure.Code ?? failure.name ?? 'InternalError'),
        Message: failure.message ?? String(error),
        Type: clientFault ? 'Sender' : 'Receiver',
      },
      RequestId: failure.$metadata?.requestId ?? randomUUID(),
    }),
  };
}

/**
 * AWS's common query errors, which SQS names as they are (e.g. `InvalidParameterValue` for
 * a message over the queue's size limit); fauxqs gives every code SQS's own
 * `AWS.SimpleQueueService.` prefix, which SQS keeps for its own errors (NonExistentQueue).
 */
const COMMON_QUERY_ERRORS = new Set([
  'InvalidAction',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidQueryParameter',
  'MalformedQueryString',
  'MissingAction',
  'MissingParameter',
]);

function queryErrorCode(code: string): string {
  const unprefixed = code.replace(/^AWS\.SimpleQueueService\./, '');
  return COMMON_QUERY_ERRORS.has(unprefixed) ? unprefixed : code;
}
