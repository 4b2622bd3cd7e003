import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalPipeline } from '../../../local/pipeline/local-pipeline';

/** The DynamoDB Local of a pipeline whose stack has a table (the runtime starts none otherwise). */
export function pipelineDynamoDb(pipeline: LocalPipeline): { readonly endpoint: string; readonly client: DynamoDBClient } {
  const { endpoints, clients } = pipeline;
  if (endpoints.dynamodb === undefined || clients.dynamodb === undefined) throw new Error('This pipeline runs no DynamoDB Local: its stack has no table');
  return { endpoint: endpoints.dynamodb, client: clients.dynamodb };
}
