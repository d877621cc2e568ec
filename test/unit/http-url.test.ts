import { describe, expect, it } from 'vitest';
import { isHttpUrl } from '../../edge/contract/primitives';

describe('isHttpUrl', () => {
  it('takes absolute http(s) URLs however the scheme is spelled', () => {
    for (const url of ['https://shop.example/p/1?id=9', 'http://localhost:8787/', 'HTTPS://shop.example/', ' https://shop.example/', 'Http://shop.example']) {
      expect(isHttpUrl(url), url).toBe(true);
    }
  });

  it('refuses what does not parse, other schemes and relative paths', () => {
    for (const url of ['https://', 'http://exa mple.com/', 'https://[::1/', 'javascript:alert(1)', 'ftp://shop.example/', 'data:text/html,x', '/products/1', 'shop.example/p', '']) {
      expect(isHttpUrl(url), url).toBe(false);
    }
  });
});
