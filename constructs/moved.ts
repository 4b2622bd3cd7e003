import { Node } from 'constructs';
import { Lazy, TerraformResource, TerraformStack } from 'cdktf';

/** Per stack, the `moved` blocks recorded so far, rendered at synth as one list. */
const movesOf = new WeakMap<TerraformStack, { from: string; resource: TerraformResource }[]>();

/**
 * Tells Terraform that `resource` is the one a deployed stack knows at the address it had
 * when its construct id, in the same scope, was `formerId`: the plan shows a move instead
 * of destroying one resource and creating another. Keep it while any deployed state may
 * still hold the old address.
 *
 * The old address is computed by the stack itself (`getLogicalId`, the same allocation
 * that named the resource then) from the path the resource used to have, so it follows
 * cdktf's scheme rather than a copy of it.
 *
 * The blocks are written as the stack's `moved` list rather than with cdktf's
 * `moveFromId`, which adds the same list but also makes every synth run `terraform version`
 * (to require Terraform >= 1.5): synth would then fail on a machine without Terraform and
 * spend ~0.1 s per stack on one that has it.
 */
export function moveFromFormerId(resource: TerraformResource, formerId: string): void {
  const scope = resource.node.scope;
  if (!scope) throw new Error(`${resource.node.path} has no scope to have moved within`);
  const stack = TerraformStack.of(resource);
  // getLogicalId reads only the construct path (`scopes` and their ids) of what it names.
  const formerNode = { scopes: [...scope.node.scopes, { node: { id: formerId } }] } as unknown as Node;
  const from = `${resource.terraformResourceType}.${stack.getLogicalId(formerNode)}`;
  let moves = movesOf.get(stack);
  if (!moves) {
    const recorded: { from: string; resource: TerraformResource }[] = [];
    movesOf.set(stack, recorded);
    // Lazy: a resource's address is final only once the whole stack is built.
    stack.addOverride(
      'moved',
      Lazy.anyValue({ produce: () => recorded.map((move) => ({ from: move.from, to: `${move.resource.terraformResourceType}.${move.resource.friendlyUniqueId}` })) }),
    );
    moves = recorded;
  }
  if (moves.some((move) => move.resource === resource)) throw new Error(`${resource.node.path} was already moved from another address`);
  moves.push({ from, resource });
}
