/**
 * CreateUploadUrl and GetUploadOutcome against DynamoDB Local, as the dashboard calls them
 * through API Gateway (Lambda proxy events with the TOKEN authorizer's context): the
 * pending record, the presigned POST's key, and one person never seeing another's upload.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { captureLogs, type CapturedLogs } from '../support/captured-logs';
import { lambdaContext } from '../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../support/local-aws-env';

// Imported only once the environment points at the emulator: the handlers read it at module scope.
const CREATE_MODULE = '../../../functions/inventory/create-upload-url/handler';
const GET_MODULE = '../../../functions/inventory/get-upload-outcome/handler';
type CreateModule = typeof import('../../../functions/inventory/create-upload-url/handler');
type GetModule = typeof import('../../../functions/inventory/get-upload-outcome/handler');

const names = uniqueNames();
const OUTCOME_TABLE_NAME = names.table('InventoryUploads');
const BUCKET = 'test-inventory-upload-abc';
const ANA = { sub: '4f1c2d3e-0000-4000-8000-00000000000a', email: 'ana@example.com', username: '4f1c2d3e-0000-4000-8000-00000000000a' };
const BEN = { sub: '4f1c2d3e-0000-4000-8000-00000000000b', email: 'ben@example.com', username: '4f1c2d3e-0000-4000-8000-00000000000b' };

let dynamodb: DynamoDBClient;
let createUploadUrl: CreateModule['handler'];
let getUploadOutcome: GetModule['handler'];
let logs: CapturedLogs;

beforeAll(async () => {
  const local = await workerEmulators().dynamodb();
  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: local.endpoint });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: OUTCOME_TABLE_NAME,
      KeySchema: [
        { AttributeName: 'owner', KeyType: 'HASH' },
        { AttributeName: 'uploadId', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'uploadId', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  useLocalAwsEnvironment('CreateUploadUrl', {
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    UPLOAD_BUCKET: BUCKET,
    UPLOAD_PREFIX: 'uploads/',
    OUTCOME_TABLE_NAME,
    MAX_FILE_BYTES: String(10 * 1024 * 1024),
    URL_EXPIRY_SECONDS: '300',
  });
  ({ handler: createUploadUrl } = (await import(CREATE_MODULE)) as CreateModule);
  ({ handler: getUploadOutcome } = (await import(GET_MODULE)) as GetModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(() => dynamodb?.destroy());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs?.restore());

/** A Lambda proxy event as API Gateway sends it once the TOKEN authorizer allowed the caller. */
function proxyEvent(caller: typeof ANA | undefined, request: { method: string; path: string; body?: string; pathParameters?: Record<string, string> }): APIGatewayProxyEvent {
  return {
    httpMethod: request.method,
    path: request.path,
    resource: request.pathParameters ? '/uploads/{uploadId}' : '/uploads',
    body: request.body ?? null,
    isBase64Encoded: false,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    requestContext: { authorizer: caller ? { principalId: caller.sub, ...caller } : undefined } as APIGatewayProxyEvent['requestContext'],
  };
}

const create = (caller: typeof ANA | undefined, body: string) => createUploadUrl(proxyEvent(caller, { method: 'POST', path: '/uploads', body }), lambdaContext('CreateUploadUrl'));
const get = (caller: typeof ANA | undefined, uploadId: string) =>
  getUploadOutcome(proxyEvent(caller, { method: 'GET', path: `/uploads/${uploadId}`, pathParameters: { uploadId } }), lambdaContext('GetUploadOutcome'));

describe('POST /uploads (CreateUploadUrl)', () => {
  it("answers 201 with a presigned POST for a key of the caller's own, and records the upload as pending first", async () => {
    const response = await create(ANA, '{"fileName": "inventory.json", "size": 1024}');
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: `uploads/${ANA.sub}/${body.uploadId}.json`,
      url: expect.stringContaining(BUCKET),
      fields: expect.objectContaining({ key: `uploads/${ANA.sub}/${body.uploadId}.json`, 'Content-Type': 'application/json', Policy: expect.any(String) }),
      maxBytes: 10485760,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: OUTCOME_TABLE_NAME, Key: marshall({ owner: ANA.sub, uploadId: body.uploadId }) }));
    const record = unmarshall(Item!);
    expect(record).toMatchObject({ status: 'pending', fileName: 'inventory.json', createdAt: expect.any(String) });
    // DynamoDB deletes the record 90 days on.
    expect(record.expiresAt - Date.parse(record.createdAt) / 1000).toBeCloseTo(90 * 24 * 3600, -1);
  });

  it('answers 413 naming the limit for a file over 10 MiB, and 400 for a bad body, recording nothing', async () => {
    const big = await create(ANA, JSON.stringify({ fileName: 'big.json', size: 12 * 1024 * 1024 }));
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body).message).toMatch(/at most 10 MiB/);
    const bad = await create(ANA, 'not json');
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: expect.stringMatching(/JSON object/) });
  });

  it('answers 401 when no authorizer vouched for the caller', async () => {
    expect(await create(undefined, '{"fileName": "a.json", "size": 1}')).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
  });
});

describe('GET /uploads/{uploadId} (GetUploadOutcome)', () => {
  it('answers the pending upload, then the outcome ProcessInventoryFile recorded', async () => {
    const { uploadId } = JSON.parse((await create(ANA, '{"fileName": "shop 1.json", "size": 10}')).body);
    const pending = await get(ANA, uploadId);
    expect(pending.statusCode).toBe(200);
    expect(JSON.parse(pending.body)).toEqual({ uploadId, fileName: 'shop 1.json', status: 'pending', createdAt: expect.any(String) });

    await dynamodb.send(
      new UpdateItemCommand({
        TableName: OUTCOME_TABLE_NAME,
        Key: marshall({ owner: ANA.sub, uploadId }),
        UpdateExpression: 'SET #status = :status, reason = :reason, errorCount = :count, #errors = :errors, decidedAt = :at',
        ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors' },
        ExpressionAttributeValues: marshall({
          ':status': 'rejected',
          ':reason': 'The file has 1 problem',
          ':count': 1,
          ':errors': [{ item: 0, productId: 'P1', field: 'price', reason: 'price must be a number' }],
          ':at': '2026-12-05T10:00:05.000Z',
        }),
      }),
    );
    expect(JSON.parse((await get(ANA, uploadId)).body)).toEqual({
      uploadId,
      fileName: 'shop 1.json',
      status: 'rejected',
      reason: 'The file has 1 problem',
      errorCount: 1,
      errors: [{ item: 0, productId: 'P1', field: 'price', reason: 'price must be a number' }],
      createdAt: expect.any(String),
      decidedAt: '2026-12-05T10:00:05.000Z',
    });
  });

  it("answers 404 for someone else's upload, exactly as for one that does not exist", async () => {
    const { uploadId } = JSON.parse((await create(ANA, '{"fileName": "mine.json", "size": 10}')).body);
    const theirs = await get(BEN, uploadId);
    const unknown = await get(BEN, '00000000-0000-4000-8000-000000000000');
    expect([theirs.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(JSON.parse(theirs.body).message).toBe(`There is no upload "${uploadId}" of yours.`);
  });

  it('answers 404 for an id that cannot be one, without asking DynamoDB', async () => {
    expect((await get(ANA, '../../etc')).statusCode).toBe(404);
  });
});
