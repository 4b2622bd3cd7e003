import { randomInt } from 'node:crypto';

/** A user pool's password policy, as `aws_cognito_user_pool.password_policy` declares it. */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** What Cognito applies to a pool whose configuration leaves the policy out. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

const LOWERCASE = 'abcdefghijkmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const NUMBERS = '23456789';
// Cognito accepts more symbols; these are the ones a person can type and a shell prints
// without quoting trouble (no quotes, backslash, space or `!`).
const SYMBOLS = '#%+-.:=?@^_~';
// Every symbol Cognito counts as one (its documentation's list, space included).
const COGNITO_SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');
const GENERATED_LENGTH = 20;

/**
 * Why `password` does not meet `policy`, in Cognito's words
 * (`InvalidPasswordException: Password did not conform with policy: ...`); empty when it does.
 */
export function passwordProblems(password: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minimumLength) problems.push('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) problems.push('Password must have numeric characters');
  if (policy.requireSymbols && ![...password].some((character) => COGNITO_SYMBOLS.has(character))) problems.push('Password must have symbol characters');
  return problems;
}

/**
 * A random password that meets any policy of at most 20 characters (longer when the policy
 * asks for more): every character class, in random places, from a cryptographic source.
 */
export function strongPassword(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  const classes = [LOWERCASE, UPPERCASE, NUMBERS, SYMBOLS];
  const everything = classes.join('');
  const length = Math.max(GENERATED_LENGTH, policy.minimumLength);
  const characters = classes.map(pick);
  while (characters.length < length) characters.push(pick(everything));
  // Fisher-Yates, so that the guaranteed characters are not always the first four.
  for (let i = characters.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j], characters[i]];
  }
  return characters.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}
