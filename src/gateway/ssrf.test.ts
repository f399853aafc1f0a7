import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from './config/load-gateway-config.js';
import { classifyAddress, validateUpstreamUrl } from './ssrf.js';

describe('upstream URL validation (SSRF)', () => {
  it('classifies addresses', () => {
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('fd00:ec2::254')).toBe('forbidden');
    expect(classifyAddress('10.1.2.3')).toBe('private');
    expect(classifyAddress('8.8.8.8')).toBe('public');
  });

  it('classifies the IPv4 address inside NAT64 and IPv4-compatible IPv6 addresses, and documentation ranges', () => {
    // On an IPv6-only network with NAT64, 64:ff9b::a9fe:a9fe is 169.254.169.254 (RFC 6052).
    expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe('forbidden');
    expect(classifyAddress('64:ff9b::169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('64:ff9b::a00:1')).toBe('private');
    expect(classifyAddress('64:ff9b::808:808')).toBe('public');
    expect(classifyAddress('64:ff9b:1::a9fe:a9fe')).toBe('forbidden');
    expect(classifyAddress('::169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('::a00:1')).toBe('private');
    expect(classifyAddress('192.0.2.10')).toBe('forbidden');
    expect(classifyAddress('2001:db8::1')).toBe('forbidden');
    // Whatever its spelling, a NAT64 address is classified as the IPv4 address it embeds.
    fc.assert(
      fc.property(fc.ipV4(), (ipv4) => {
        const canonical = new URL(`http://[64:ff9b::${ipv4}]/`).hostname.slice(1, -1);
        expect(classifyAddress(canonical)).toBe(classifyAddress(ipv4));
        expect(classifyAddress(`64:ff9b:0:0:0:0:${ipv4}`)).toBe(classifyAddress(ipv4));
      }),
      { numRuns: 300 },
    );
    for (const url of [
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[::169.254.169.254]/',
      'http://[64:ff9b::a00:1]/',
    ]) {
      expect(() => validateUpstreamUrl(url), url).toThrow(
        expect.objectContaining({ code: 'AEGIS_UPSTREAM_URL_FORBIDDEN' }),
      );
    }
  });

  it('accepts public https, loopback and allowed private upstreams', () => {
    expect(validateUpstreamUrl('https://api.openai.com/v1').hostname).toBe('api.openai.com');
    expect(validateUpstreamUrl('http://127.0.0.1:11434/v1').port).toBe('11434');
    expect(validateUpstreamUrl('http://10.0.0.5:8000/v1', { allowPrivateNetwork: true }).hostname).toBe(
      '10.0.0.5',
    );
  });

  it('refuses metadata, link-local, private (by default), other schemes and inline credentials', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://metadata.google.internal/computeMetadata/v1',
      'http://metadata.google.internal./computeMetadata/v1',
      'http://METADATA.azure.internal../',
      'http://[fe80::1]/v1',
      'http://10.0.0.5/v1',
      'file:///etc/passwd',
      'https://user:pass@api.example.com/v1',
      'not a url',
    ]) {
      expect(() => validateUpstreamUrl(url), url).toThrow(
        expect.objectContaining({ code: 'AEGIS_UPSTREAM_URL_FORBIDDEN' }),
      );
    }
  });
});

describe('gateway config', () => {
  it('has secure defaults', () => {
    const config = parseGatewayConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8787);
    expect(config.limits.bodyBytes).toBe(1_048_576);
    expect(config.streaming.mode).toBe('window');
    expect(config.failMode.default).toBe('closed');
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('rejects unknown keys, inline keys and bad upstreams with the path named', () => {
    expect(() => parseGatewayConfig({ hots: 'x' })).toThrow(/hots|Unrecognized/);
    expect(() =>
      parseGatewayConfig({
        upstreams: [
          { name: 'a', provider: 'openai', baseUrl: 'https://x.example', apiKeyEnv: 'sk-live-123' },
        ],
      }),
    ).toThrow(/environment variable name/);
    expect(() =>
      parseGatewayConfig({
        upstreams: [{ name: 'a', provider: 'openai', baseUrl: 'http://169.254.169.254' }],
      }),
    ).toThrow(expect.objectContaining({ code: 'AEGIS_UPSTREAM_URL_FORBIDDEN' }));
    expect(() => parseGatewayConfig({ aliases: { smart: ['missing/model'] } })).toThrow(
      /configured upstream/,
    );
  });
});
