import { BlockList, isIP } from 'node:net';

/**
 * Event Ruler's `cidr` operator: a string value that is an IP address (v4 or v6, in any
 * spelling Node accepts, e.g. `2001:0db8::` or `2001:db8::`) inside the block. Anything
 * else, numbers included, does not match. An address never matches a block of the other
 * family.
 *
 * @returns the test, or why the operand is not a valid CIDR block (as Ruler refuses it)
 */
export function compileCidr(operand: unknown): ((value: unknown) => boolean) | { readonly invalid: string } {
  if (typeof operand !== 'string') return { invalid: 'cidr must be a string such as "10.0.0.0/24"' };
  const pieces = operand.split('/');
  if (pieces.length !== 2) return { invalid: `malformed CIDR ${JSON.stringify(operand)}, one '/' required` };
  const [address, bits] = pieces;
  const family = isIP(address);
  if (family === 0) return { invalid: `nonstandard IP address: ${address}` };
  const maxBits = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || Number(bits) > maxBits) return { invalid: `malformed CIDR ${JSON.stringify(operand)}, mask bits must be an integer from 0 to ${maxBits}` };
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const block = new BlockList();
  block.addSubnet(address, Number(bits), type);
  return (value) => typeof value === 'string' && isIP(value) === family && block.check(value, type);
}
