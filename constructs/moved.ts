import { Node } from 'constructs';
import { TerraformResource, TerraformStack } from 'cdktf';

/**
 * Tells Terraform that `resource` is the one a deployed stack knows at the address it had
 * when its construct id, in the same scope, was `formerId`: the plan shows a move instead
 * of destroying one resource and creating another. Keep it while any deployed state may
 * still hold the old address.
 *
 * The old address is computed by the stack itself (`getLogicalId`, the same allocation
 * that named the resource then) from the path the resource used to have, so it follows
 * cdktf's scheme rather than a copy of it.
 */
export function moveFromFormerId(resource: TerraformResource, formerId: string): void {
  const scope = resource.node.scope;
  if (!scope) throw new Error(`${resource.node.path} has no scope to have moved within`);
  // getLogicalId reads only the construct path (`scopes` and their ids) of what it names.
  const formerNode = { scopes: [...scope.node.scopes, { node: { id: formerId } }] } as unknown as Node;
  resource.moveFromId(`${resource.terraformResourceType}.${TerraformStack.of(resource).getLogicalId(formerNode)}`);
}
