import { Construct } from 'constructs';
import { NodejsFunction } from './nodejs-function';
import { TokenAuthorizerProps } from './rest-api';

export interface AccessTokenAuthorizerProps {
  readonly functionName: string;
  readonly roleName: string;
  /** The pool whose access tokens are accepted (`<region>_<suffix>`). */
  readonly userPoolId: string;
}

/** Where the function lives: one handler, one function per stack that uses it. */
export const ACCESS_TOKEN_AUTHORIZER_ENTRY = 'functions/shared/cognito-access-token/handler.ts';

/**
 * The function behind a Lambda TOKEN authorizer that accepts the pool's access tokens while
 * Cognito does (functions/shared/cognito-access-token): revoked at sign-out means refused
 * at once. Its role writes its logs and nothing else: GetUser is authorized by the token.
 */
export class AccessTokenAuthorizer extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: AccessTokenAuthorizerProps) {
    super(scope, id);
    this.function = new NodejsFunction(this, 'function', {
      functionName: props.functionName,
      roleName: props.roleName,
      description: 'Lets a caller through while Cognito accepts their access token (GetUser)',
      entry: ACCESS_TOKEN_AUTHORIZER_ENTRY,
      movesFormerGrantIds: false,
      environment: { USER_POOL_ID: props.userPoolId },
    });
  }

  /** What an API's `authorizer` takes. */
  get authorizer(): TokenAuthorizerProps {
    return { tokenFunction: this.function.function };
  }
}
