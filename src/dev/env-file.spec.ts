import { isVariableSet, setUnsetVariables } from './env-file';

describe('setUnsetVariables', () => {
  it('fills blank lines where they stand and appends what the file lacks', () => {
    const text = '# The secret.\nCLERK_WEBHOOK_SIGNING_SECRET=\nPORT=3000\n';
    expect(setUnsetVariables(text, { CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_a', CLERK_JWT_KEY: '"pem"' })).toEqual({
      text: '# The secret.\nCLERK_WEBHOOK_SIGNING_SECRET=whsec_a\nPORT=3000\nCLERK_JWT_KEY="pem"\n',
      set: ['CLERK_WEBHOOK_SIGNING_SECRET', 'CLERK_JWT_KEY'],
      kept: [],
    });
  });

  it('never overwrites a value that is set, quoted or exported', () => {
    const text = 'CLERK_WEBHOOK_SIGNING_SECRET=whsec_mine\nexport CLERK_JWT_KEY="-----BEGIN PUBLIC KEY-----"\n';
    const result = setUnsetVariables(text, { CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_new', CLERK_JWT_KEY: 'new' });
    expect(result).toEqual({ text, set: [], kept: ['CLERK_WEBHOOK_SIGNING_SECRET', 'CLERK_JWT_KEY'] });
  });

  it('treats an empty quoted value as unset and leaves commented lines alone', () => {
    const text = 'CLERK_JWT_KEY=""\n# CLERK_WEBHOOK_SIGNING_SECRET=whsec_old\r\n';
    expect(setUnsetVariables(text, { CLERK_JWT_KEY: 'k', CLERK_WEBHOOK_SIGNING_SECRET: 's' }).text).toBe(
      'CLERK_JWT_KEY=k\n# CLERK_WEBHOOK_SIGNING_SECRET=whsec_old\nCLERK_WEBHOOK_SIGNING_SECRET=s\n',
    );
  });

  it('starts an empty file', () => {
    expect(setUnsetVariables('', { A: '1' }).text).toBe('A=1\n');
  });
});

describe('isVariableSet', () => {
  it('is true for a value, false for a blank, empty-quoted, commented or missing one', () => {
    const text = 'A=1\nexport B="x"\nC=\nD=""\n# E=1\n';
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((name) => isVariableSet(text, name))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
