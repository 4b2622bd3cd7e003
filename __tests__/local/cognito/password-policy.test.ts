import { passwordProblems, strongPassword, type PasswordPolicy } from '../../../local/cognito/password-policy';

// The inventory pool's policy (constructs/hosted-ui-user-pool.ts).
const POLICY: PasswordPolicy = { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };

describe('password policy', () => {
  it('makes random passwords that meet the policy, each different', () => {
    const passwords = Array.from({ length: 200 }, () => strongPassword(POLICY));

    for (const password of passwords) expect(passwordProblems(password, POLICY)).toEqual([]);
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(passwords[0]).toHaveLength(20);
    expect(strongPassword({ ...POLICY, minimumLength: 40 })).toHaveLength(40);
  });

  it("says what a password lacks, in Cognito's words", () => {
    expect(passwordProblems('short', POLICY)).toEqual([
      'Password not long enough',
      'Password must have uppercase characters',
      'Password must have numeric characters',
      'Password must have symbol characters',
    ]);
    expect(passwordProblems('ALLUPPERCASE1!', POLICY)).toEqual(['Password must have lowercase characters']);
    expect(passwordProblems('Has a space 1', POLICY)).toEqual([]);
    expect(passwordProblems('lowercaseonly', { ...POLICY, requireUppercase: false, requireNumbers: false, requireSymbols: false })).toEqual([]);
  });
});
