// The reader moved to the local runtime, which polls streams the same way; tests keep this path.
export { DynamoDbStreamReader, toLambdaRecord } from '../../../../local/runtime/dynamodb-stream-reader';
