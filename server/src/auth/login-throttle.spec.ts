import { lockMinutes } from './login-throttle';
import { passwordProblem } from './password-policy';

describe('login throttle', () => {
  it('locks 15, 30, 60 … minutes, never more than a day', () => {
    expect([0, 1, 2, 3, 6, 7, 50].map(lockMinutes)).toEqual([15, 30, 60, 120, 960, 1440, 1440]);
  });
});

describe('staff password policy', () => {
  it('refuses short passwords, the username inside, and demo passwords in production only', () => {
    expect(passwordProblem('gw_zhang', '123456789', false)).toMatch(/at least 10/);
    expect(passwordProblem('gw_zhang', '1234567890', false)).toBeNull();
    expect(passwordProblem('gw_zhang', 'my-GW_ZHANG-pass', false)).toMatch(/username/);
    expect(passwordProblem('gw_zhang', 'xx-demo1234-xx', false)).toBeNull();
    expect(passwordProblem('gw_zhang', 'xx-demo1234-xx', true)).toMatch(/demo/);
    expect(passwordProblem('gw_zhang', 'S3cret-Passw0rd!', true)).toBeNull();
  });
});
